import Crypto
import Storage
import Testing

@Suite("Guid")
struct GuidTests {
    @Test func isAVersion4GuidInLowerCase() {
        #expect(Guid.random(using: RepeatingRandom(0xFF)) == "ffffffff-ffff-4fff-bfff-ffffffffffff")
        #expect(Guid.random(using: RepeatingRandom(0x00)) == "00000000-0000-4000-8000-000000000000")
    }

    @Test func differsEachTimeWithARealSource() {
        let random = SecureRandom()
        #expect(Guid.random(using: random) != Guid.random(using: random))
    }
}
