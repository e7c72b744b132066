import Foundation
import Synchronization
import Testing
@testable import Crypto

extension MemoryHungryTests {
    struct Argon2Tests {
        /// RFC 9106 §5.3: Argon2id with secret and associated data, 4 lanes, 32 KiB, 3 passes.
        @Test func argon2idMatchesRFC9106() throws {
            let tag = try Argon2.hash(
                password: repeated(0x01, 32), salt: repeated(0x02, 16), secret: repeated(0x03, 8),
                associatedData: repeated(0x04, 12),
                parameters: .init(variant: .argon2id, memoryKiB: 32, iterations: 3, parallelism: 4), length: 32)
            #expect(Hex.encode(tag) == "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")
        }

        /// The reference implementation's own argon2id vectors (phc-winner-argon2, src/test.c),
        /// without the 256 MiB one.
        static let referenceVectors: [(password: String, phc: String)] = [
            ("password", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"),
            ("password", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"),
            ("password", "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc"),
            ("password", "$argon2id$v=19$m=65536,t=1,p=1$c29tZXNhbHQ$9qWtwbpyPd3vm1rB1GThgPzZ3/ydHL92zKL+15XZypg"),
            ("password", "$argon2id$v=19$m=65536,t=4,p=1$c29tZXNhbHQ$kCXUjmjvc5XMqQedpMTsOv+zyJEf5PhtGiUghW9jFyw"),
            ("differentpassword",
             "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$C4TWUs9rDEvq7w3+J4umqA32aWKB1+DSiRuBfYxFj94"),
            ("password", "$argon2id$v=19$m=65536,t=2,p=1$ZGlmZnNhbHQ$vfMrBczELrFdWP0ZsfhWsRPaHppYdP3MVEMIVlqoFBw"),
        ]

        @Test(arguments: referenceVectors)
        func argon2idMatchesReferenceImplementation(password: String, phc: String) throws {
            let parsed = try #require(Argon2PHCString(parsing: phc))
            #expect(parsed.encoded == phc)
            let tag = try Argon2.hash(password: bytes(password), salt: parsed.salt, parameters: parsed.parameters,
                                      length: 32)
            #expect(tag == parsed.hash)
            let hasher = PasswordHasher(settings: .init(argon2MemoryKiB: 256, argon2Iterations: 1), random: SecureRandom())
            // Their 8-byte salt is shorter than the 16 bytes Countersign writes.
            #expect(hasher.verify(password, against: phc) == .succeededRehashNeeded)
            #expect(hasher.verify(password + "x", against: phc) == .failed)
        }

        /// The reference implementation's argon2i vector for version 1.0 (no `v=` field).
        @Test func argon2iVersion10StillVerifiesButNeedsRehash() {
            let hasher = PasswordHasher(settings: .init(argon2MemoryKiB: 256, argon2Iterations: 1), random: SecureRandom())
            let phc = "$argon2i$m=256,t=2,p=1$c29tZXNhbHQ$/U3YPXYsSb3q9XxHvc0MLxur+GP960kN9j7emXX8zwY"
            #expect(hasher.verify("password", against: phc) == .succeededRehashNeeded)
            #expect(hasher.verify("passwore", against: phc) == .failed)
        }

        @Test func workingMemoryIsMappedAndUnmappedThroughTheCallbacks() throws {
            let before = Argon2MappedMemory.mappingsMade.load(ordering: .relaxed)
            _ = try Argon2.hash(password: bytes("password"), salt: bytes("somesalt"),
                                parameters: .init(memoryKiB: 1024, iterations: 1, parallelism: 1), length: 32)
            #expect(Argon2MappedMemory.mappingsMade.load(ordering: .relaxed) == before + 1)
            #expect(Argon2MappedMemory.bytesMapped.load(ordering: .relaxed) == 0)
        }

        @Test func libraryErrorsBecomeSwiftErrorsWithTheLibraryMessage() {
            #expect(throws: PasswordHashingError("Argon2: Memory cost is too small")) {
                try Argon2.hash(password: bytes("password"), salt: bytes("somesalt"),
                                parameters: .init(memoryKiB: 1, iterations: 1, parallelism: 1), length: 32)
            }
            #expect(throws: PasswordHashingError("Argon2: Salt is too short")) {
                try Argon2.hash(password: bytes("password"), salt: bytes("short"),
                                parameters: .init(memoryKiB: 64, iterations: 1, parallelism: 1), length: 32)
            }
            #expect(Argon2MappedMemory.bytesMapped.load(ordering: .relaxed) == 0)
        }

        /// With malloc, glibc keeps the freed 19 MiB in its heap after the first hashes and RSS stays
        /// that much higher; unmapped pages leave at once.
        @Test(.enabled(if: ResidentMemory.current() != nil, "needs /proc/self/statm"))
        func residentMemoryDropsBackAfterDefaultHashes() throws {
            let hasher = PasswordHasher(settings: PasswordHashSettings(), random: SecureRandom())
            _ = try hasher.hash("warm up")
            let before = try #require(ResidentMemory.current())
            for _ in 0..<3 { _ = try hasher.hash("correct horse battery staple") }
            let after = try #require(ResidentMemory.current())
            #expect(after - before < 8 << 20, "RSS grew by \((after - before) >> 10) KiB")
        }
    }
}

/// The resident set size of this process, from /proc/self/statm.
enum ResidentMemory {
    static func current() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
