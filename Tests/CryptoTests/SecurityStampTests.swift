import Testing
@testable import Crypto

struct SecurityStampTests {
    @Test func isTwentyRandomBytesInBase32() {
        // Bytes 0…19 from the sequential source.
        #expect(SecurityStamp.generate(random: SequentialRandom()) == "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT")
    }

    @Test func looksLikeAnAspNetStampAndDiffersEachTime() {
        let random = SecureRandom()
        let stamps = (0..<20).map { _ in SecurityStamp.generate(random: random) }
        for stamp in stamps {
            #expect(stamp.count == 32)
            #expect(stamp.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("2"..."7").contains($0) })
        }
        #expect(Set(stamps).count == stamps.count)
    }
}
