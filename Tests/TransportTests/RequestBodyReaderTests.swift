@testable import Transport
import Testing

/// The body rules both transports share; the stream is a byte array handed out in small pieces,
/// as sockets and pipes do.
@Suite struct RequestBodyReaderTests {
    final class Stream {
        var remaining: [UInt8]
        var calls = 0
        let piece: Int

        init(_ bytes: [UInt8], piece: Int = 1000) {
            remaining = bytes
            self.piece = piece
        }

        func chunk(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
            calls += 1
            let count = min(buffer.count, piece, remaining.count)
            buffer.copyBytes(from: remaining[0..<count])
            remaining.removeFirst(count)
            return count
        }
    }

    func read(_ bytes: [UInt8], declared: Int?, maxBody: Int = 65_536) -> (RequestBodyReader.Body, Stream) {
        let stream = Stream(bytes)
        return (RequestBodyReader.read(declaredLength: declared, maxBody: maxBody, chunk: stream.chunk), stream)
    }

    @Test(arguments: [65_536 as Int?, nil])
    func exactlyTheLimitIsRead(_ declared: Int?) {
        let bytes = (0..<65_536).map { UInt8($0 % 251) }
        let (body, _) = read(bytes, declared: declared)
        #expect(body == .init(bytes: bytes, exceedsLimit: false))
    }

    @Test func oneByteOverTheLimitWithoutADeclaredLengthIsTooLarge() {
        let (body, _) = read([UInt8](repeating: 7, count: 65_537), declared: nil)
        #expect(body == .init(bytes: [], exceedsLimit: true))
    }

    @Test(arguments: [65_537, Int.max])
    func aDeclaredLengthOverTheLimitIsNotRead(_ declared: Int) {
        let (body, stream) = read([UInt8](repeating: 7, count: 10), declared: declared)
        #expect(body.exceedsLimit)
        #expect(stream.calls == 0)
    }

    @Test func noMoreThanTheDeclaredLengthIsRead() {
        let (body, stream) = read(Array("a=1&b=2trailing".utf8), declared: 7)
        #expect(body.bytes == Array("a=1&b=2".utf8))
        #expect(stream.remaining == Array("trailing".utf8))
    }

    @Test func aStreamEndingEarlyGivesWhatArrived() {
        let (body, _) = read(Array("a=1".utf8), declared: 100)
        #expect(body == .init(bytes: Array("a=1".utf8), exceedsLimit: false))
    }

    @Test func aDeclaredEmptyBodyReadsNothing() {
        let (body, stream) = read(Array("ignored".utf8), declared: 0)
        #expect(body == .init(bytes: [], exceedsLimit: false))
        #expect(stream.calls == 0)
    }
}
