import FoundationEssentials
import Testing
@testable import Transport
#if canImport(Glibc)
import Glibc
#endif

@Suite struct PoolStatusFileTests {
    private func temporaryPath() -> String {
        "/tmp/countersign-pool-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).status"
    }

    @Test func countersAddedThroughOneMappingAreSeenThroughAnother() throws {
        let path = temporaryPath()
        defer { unlink(path) }
        let supervisor = try PoolStatusFile.create(path: path)
        let worker = try #require(PoolStatusFile.open(path: path, writable: true))
        let a = try #require(worker.counterIndex(for: #"countersign_requests_total{route="/login",status="200"}"#))
        let b = try #require(supervisor.counterIndex(for: #"countersign_requests_total{route="/login",status="200"}"#))
        #expect(a == b, "one series, one entry, whoever claims it first")
        worker.add(counter: a)
        supervisor.add(counter: b, 2)
        let reader = try #require(PoolStatusFile.open(path: path, writable: false))
        #expect(reader.counters().map(\.key) == [#"countersign_requests_total{route="/login",status="200"}"#])
        #expect(reader.counters().map(\.value) == [3])
    }

    @Test func distinctSeriesGetDistinctEntriesAndTooLongKeysNone() {
        let file = PoolStatusFile.anonymous()
        let indexes = (0..<500).compactMap { file.counterIndex(for: "series_\($0)") }
        #expect(Set(indexes).count == 500)
        #expect(file.counterIndex(for: String(repeating: "x", count: 113)) == nil)
        #expect(file.counterIndex(for: "") == nil)
    }

    @Test func slotsCarryTheWorkersStateAndRequests() {
        let file = PoolStatusFile.anonymous()
        let slot = file.freeSlot()!
        file.reserve(slot: slot)
        #expect(file.freeSlot() != slot)
        file.occupy(slot: slot, pid: 4242, startedAt: Date(timeIntervalSince1970: 1_000), generation: 3)
        #expect(file.workers().first?.state == .starting)
        file.setState(slot: slot, .busy)
        file.countRequest(slot: slot)
        file.countRequest(slot: slot)
        file.markRetiring(slot: slot)
        let seen = file.workers()
        #expect(seen.count == 1)
        #expect(seen[0].pid == 4242 && seen[0].state == .busy && seen[0].requests == 2)
        #expect(seen[0].generation == 3 && seen[0].retiring && seen[0].startedAt == Date(timeIntervalSince1970: 1_000))
        file.release(slot: slot)
        #expect(file.workers().isEmpty)
    }

    @Test func aFileThatIsNotAPoolStatusFileIsNotOpened() throws {
        let path = temporaryPath()
        defer { unlink(path) }
        let fd = open(path, O_CREAT | O_WRONLY, 0o600)
        #expect(ftruncate(fd, off_t(PoolStatusFile.size)) == 0)
        close(fd)
        #expect(PoolStatusFile.open(path: path, writable: false) == nil)
        #expect(PoolStatusFile.open(path: path + ".missing", writable: false) == nil)
    }

    @Test(arguments: [
        (ListenAddress.unix(path: "/run/countersign/countersign.sock"), "/run/countersign/countersign.sock.status"),
        (ListenAddress.tcp(host: "127.0.0.1", port: 9001), "/etc/countersign/countersign-127.0.0.1-9001.status"),
    ])
    func theStatusFileIsFoundFromTheListenAddress(address: ListenAddress, expected: String) {
        #expect(PoolStatusFile.path(for: address, configPath: "/etc/countersign/countersign.conf") == expected)
    }
}
