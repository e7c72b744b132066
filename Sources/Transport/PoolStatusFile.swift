#if canImport(Glibc)
import Glibc
#endif
internal import CFastCGI
import FoundationEssentials

/// The pool's shared memory: a small file the supervisor creates and maps, and every worker maps
/// too (found through `COUNTERSIGN_POOL_STATUS`). It holds who runs (supervisor and worker
/// slots: pid, state, requests served) and the pool-wide counters behind `/Metrics`, so the
/// numbers are the whole pool's whatever worker answers, and `countersign status` reads them
/// without asking the pool anything.
///
/// Every field is a UInt64 changed with atomic operations: a worker counting a request is one
/// relaxed atomic add on a mapped page, no lock, no system call. Counters are an open-addressing
/// table of `capacity` series keyed by their Prometheus text (`name{label="v"}`): a new series is
/// claimed with one compare-and-swap and then never moves, so a worker looks its index up once.
///
/// Layout (offsets in bytes): header at 0 (magic, supervisor pid, start time in ms, restarts,
/// generation), `workerSlots` slots of 64 bytes at 4096, counters of 128 bytes at 8192.
public final class PoolStatusFile {
    public static let workerSlots = 64
    public static let counterCapacity = 2048
    static let magic: UInt64 = 0x3130_4C4F_4F50_5343 // "CSPOOL01", little-endian
    static let slotsOffset = 4096, slotSize = 64
    static let countersOffset = 8192, counterSize = 128, keyCapacity = 112
    static let size = countersOffset + counterCapacity * counterSize

    public enum WorkerState: UInt64, Sendable {
        case free = 0, starting, idle, busy

        public var name: String {
            switch self {
            case .free: "free"
            case .starting: "starting"
            case .idle: "idle"
            case .busy: "busy"
            }
        }
    }

    public struct WorkerSlot: Sendable {
        public var index: Int
        public var pid: Int32
        public var state: WorkerState
        public var requests: UInt64
        public var startedAt: Date
        public var generation: UInt64
        /// Told to finish its request and leave (after a reload).
        public var retiring: Bool
    }

    public let path: String?
    private let base: UnsafeMutableRawPointer

    private init(path: String?, base: UnsafeMutableRawPointer) {
        self.path = path
        self.base = base
    }

    deinit { munmap(base, Self.size) }

    /// The supervisor's file, created empty (a previous pool's numbers are not carried over, as
    /// Prometheus expects of a restarted process). Mode 0640: it holds no secret, but nothing
    /// for other users either.
    public static func create(path: String) throws -> PoolStatusFile {
        let temporary = path + ".new"
        let fd = Glibc.open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw SystemError("open \(temporary)") }
        defer { close(fd) }
        guard ftruncate(fd, off_t(size)) == 0 else { throw SystemError("ftruncate \(temporary)") }
        let file = try map(fd: fd, path: path, writable: true)
        file.word(0).pointee = magic
        // Renamed into place only when complete, so `status` never reads a half-made file.
        guard rename(temporary, path) == 0 else {
            let error = SystemError("rename \(temporary) to \(path)")
            unlink(temporary)
            throw error
        }
        return file
    }

    /// Maps an existing file (a worker, or `countersign status` read-only); nil when there is no
    /// such file or it is not a pool status file.
    public static func open(path: String, writable: Bool) -> PoolStatusFile? {
        let fd = Glibc.open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, Int(info.st_size) == size,
              let file = try? map(fd: fd, path: path, writable: writable),
              countersign_atomic_load(file.word(0)) == magic else { return nil }
        return file
    }

    /// Private memory of the same shape, for a worker without a supervisor (spawn-fcgi, CGI):
    /// its `/Metrics` then counts this one process.
    public static func anonymous() -> PoolStatusFile {
        let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        precondition(base != MAP_FAILED, "mmap of \(size) anonymous bytes failed")
        return PoolStatusFile(path: nil, base: base!)
    }

    private static func map(fd: Int32, path: String, writable: Bool) throws -> PoolStatusFile {
        let protection = writable ? PROT_READ | PROT_WRITE : PROT_READ
        guard let base = mmap(nil, size, protection, MAP_SHARED, fd, 0), base != MAP_FAILED else { throw SystemError("mmap \(path)") }
        return PoolStatusFile(path: path, base: base)
    }

    private func word(_ offset: Int) -> UnsafeMutablePointer<UInt64> {
        (base + offset).assumingMemoryBound(to: UInt64.self)
    }

    private func load(_ offset: Int) -> UInt64 { countersign_atomic_load(word(offset)) }
    private func store(_ offset: Int, _ value: UInt64) { countersign_atomic_store(word(offset), value) }

    // MARK: Supervisor

    public var supervisorPid: Int32 {
        get { Int32(truncatingIfNeeded: load(8)) }
        set { store(8, UInt64(UInt32(bitPattern: newValue))) }
    }

    public var startedAt: Date {
        get { Self.date(load(16)) }
        set { store(16, Self.milliseconds(newValue)) }
    }

    /// Workers that ended without being asked to (crashes, kills), since the supervisor started.
    public var restarts: UInt64 {
        get { load(24) }
        set { store(24, newValue) }
    }

    /// Counts reloads: workers started after the n-th reload carry generation n.
    public var generation: UInt64 {
        get { load(32) }
        set { store(32, newValue) }
    }

    // MARK: Worker slots

    private func slotOffset(_ index: Int) -> Int { Self.slotsOffset + index * Self.slotSize }

    /// A free slot index for a new worker, or nil when all are taken.
    public func freeSlot() -> Int? {
        (0..<Self.workerSlots).first { load(slotOffset($0) + 8) == WorkerState.free.rawValue }
    }

    /// Taken for a worker about to start (before the spawn: the worker may report idle at once).
    public func reserve(slot: Int) {
        let offset = slotOffset(slot)
        store(offset, 0)
        store(offset + 16, 0)
        store(offset + 40, 0)
        store(offset + 8, WorkerState.starting.rawValue)
    }

    /// The started worker's pid, start time and generation.
    public func occupy(slot: Int, pid: Int32, startedAt: Date, generation: UInt64) {
        let offset = slotOffset(slot)
        store(offset + 24, Self.milliseconds(startedAt))
        store(offset + 32, generation)
        store(offset, UInt64(UInt32(bitPattern: pid)))
    }

    public func markRetiring(slot: Int) { store(slotOffset(slot) + 40, 1) }

    public func release(slot: Int) {
        store(slotOffset(slot), 0)
        store(slotOffset(slot) + 8, WorkerState.free.rawValue)
    }

    /// The worker's own view: it is idle or busy.
    public func setState(slot: Int, _ state: WorkerState) { store(slotOffset(slot) + 8, state.rawValue) }

    public func state(slot: Int) -> WorkerState {
        WorkerState(rawValue: load(slotOffset(slot) + 8)) ?? .free
    }

    public func countRequest(slot: Int) { countersign_atomic_add(word(slotOffset(slot) + 16), 1) }

    /// The slots in use.
    public func workers() -> [WorkerSlot] {
        (0..<Self.workerSlots).compactMap { index in
            let offset = slotOffset(index)
            guard let state = WorkerState(rawValue: load(offset + 8)), state != .free else { return nil }
            return WorkerSlot(index: index, pid: Int32(truncatingIfNeeded: load(offset)), state: state, requests: load(offset + 16),
                              startedAt: Self.date(load(offset + 24)), generation: load(offset + 32), retiring: load(offset + 40) != 0)
        }
    }

    // MARK: Counters

    private static let empty: UInt64 = 0, claiming: UInt64 = 1, ready: UInt64 = 2

    /// The index of the series `key` (e.g. `countersign_requests_total{route="/login",status="200"}`),
    /// claiming a free entry the first time; nil when the key is too long or the table is full.
    public func counterIndex(for key: String) -> Int? {
        let bytes = Array(key.utf8)
        guard !bytes.isEmpty, bytes.count <= Self.keyCapacity else { return nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 // FNV-1a
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        for probe in 0..<Self.counterCapacity {
            let index = Int((hash &+ UInt64(probe)) % UInt64(Self.counterCapacity))
            let offset = Self.countersOffset + index * Self.counterSize
            var state = load(offset)
            if state == Self.empty, countersign_atomic_claim(word(offset), Self.empty, Self.claiming) != 0 {
                let keyStart = (base + offset + 16).assumingMemoryBound(to: UInt8.self)
                keyStart.initialize(repeating: 0, count: Self.keyCapacity)
                keyStart.update(from: bytes, count: bytes.count)
                store(offset, Self.ready)
                return index
            }
            // Another process is writing this entry's key: it takes nanoseconds.
            while state != Self.ready { sched_yield(); state = load(offset) }
            if storedKey(at: offset) == bytes { return index }
        }
        return nil
    }

    public func add(counter index: Int, _ amount: UInt64 = 1) {
        countersign_atomic_add(word(Self.countersOffset + index * Self.counterSize + 8), amount)
    }

    /// Every series with its value, in table order.
    public func counters() -> [(key: String, value: UInt64)] {
        (0..<Self.counterCapacity).compactMap { index -> (key: String, value: UInt64)? in
            let offset = Self.countersOffset + index * Self.counterSize
            guard load(offset) == Self.ready else { return nil }
            return (String(decoding: storedKey(at: offset), as: UTF8.self), load(offset + 8))
        }
    }

    private func storedKey(at offset: Int) -> [UInt8] {
        let start = (base + offset + 16).assumingMemoryBound(to: UInt8.self)
        let buffer = UnsafeBufferPointer(start: start, count: Self.keyCapacity)
        return Array(buffer.prefix { $0 != 0 })
    }

    // MARK: Where

    /// The file of the pool serving `address`: next to a unix socket (`PATH.status`), else in
    /// the config file's folder. Both `serve` and `countersign status` derive it the same way.
    public static func path(for address: ListenAddress, configPath: String) -> String {
        switch address {
        case .unix(let path):
            return path + ".status"
        case .tcp(let host, let port):
            let folder = configPath.lastIndex(of: "/").map { String(configPath[..<$0]) } ?? "."
            return "\(folder)/countersign-\(host)-\(port).status"
        }
    }

    static func milliseconds(_ date: Date) -> UInt64 { UInt64(max(0, date.timeIntervalSince1970 * 1000)) }
    static func date(_ milliseconds: UInt64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
