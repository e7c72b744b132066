import Foundation
import Synchronization
import Testing
@testable import Crypto

extension MemoryHungryTests {
    struct PasswordHasherTests {
        static let fastArgon2 = PasswordHashSettings(algorithm: .argon2id, argon2MemoryKiB: 256, argon2Iterations: 1)
        static let fastPBKDF2 = PasswordHashSettings(algorithm: .pbkdf2SHA512, pbkdf2Iterations: 1000)

        @Test(arguments: [fastArgon2, fastPBKDF2])
        func roundTrip(settings: PasswordHashSettings) throws {
            let hasher = PasswordHasher(settings: settings, random: SecureRandom())
            let stored = try hasher.hash("correct horse battery staple")
            #expect(hasher.verify("correct horse battery staple", against: stored) == .succeeded)
            #expect(hasher.verify("correct horse battery stapler", against: stored) == .failed)
            #expect(hasher.verify("", against: stored) == .failed)
            #expect(try hasher.hash("correct horse battery staple") != stored, "each hash has its own salt")
        }

        @Test(arguments: [PasswordAlgorithm.argon2id, .pbkdf2SHA512])
        func roundTripWithDefaultCosts(algorithm: PasswordAlgorithm) throws {
            let hasher = PasswordHasher(settings: PasswordHashSettings(algorithm: algorithm), random: SecureRandom())
            let stored = try hasher.hash("pässwörd with ünïcödé ✓")
            #expect(hasher.verify("pässwörd with ünïcödé ✓", against: stored) == .succeeded)
            #expect(hasher.verify("passwörd with ünïcödé ✓", against: stored) == .failed)
        }

        @Test func argon2idIsStoredAsAPHCString() throws {
            let hasher = PasswordHasher(settings: PasswordHashSettings(), random: SequentialRandom())
            let stored = try hasher.hash("my password")
            let prefix = "$argon2id$v=19$m=19456,t=2,p=1$AAECAwQFBgcICQoLDA0ODw$"
            #expect(stored.hasPrefix(prefix))
            #expect(stored.count == prefix.count + 43, "32-byte hash, unpadded Base64")
            let parsed = try #require(Argon2PHCString(parsing: stored))
            #expect(parsed.salt == Array(0..<16))
            let tag = try Argon2.hash(password: bytes("my password"), salt: Array(0..<16),
                                      parameters: .init(memoryKiB: 19456, iterations: 2, parallelism: 1), length: 32)
            #expect(parsed.hash == tag)
        }

        @Test func pbkdf2IsStoredInAspNetIdentityV3Format() throws {
            let hasher = PasswordHasher(settings: Self.fastPBKDF2, random: SequentialRandom())
            let stored = try hasher.hash("my password")
            let data = try #require(Data(base64Encoded: stored))
            let header: [UInt8] = [0x01, 0, 0, 0, 2, 0, 0, 0x03, 0xe8, 0, 0, 0, 16]
            #expect(Array(data.prefix(13)) == header)
            #expect(Array(data.dropFirst(13).prefix(16)) == Array(0..<16))
            let subkey = PBKDF2.derive(password: bytes("my password"), salt: Array(0..<16), iterations: 1000,
                                       keyLength: 32, prf: .sha512)
            #expect(Array(data.dropFirst(29)) == subkey)
        }

        // ASP.NET Core's PasswordHasherTest (dotnet/aspnetcore,
        // src/Identity/test/Identity.Test/PasswordHasherTest.cs); the password is "my password".

        /// HashPassword_Version2 / HashPassword_Version3, made with salt bytes 0…15.
        @Test func encoderReproducesAspNetHashes() {
            let salt = [UInt8](0..<16)
            let v2 = AspNetIdentityPasswordHash.v2(
                salt: salt,
                subkey: PBKDF2.derive(password: bytes("my password"), salt: salt, iterations: 1000, keyLength: 32, prf: .sha1))
            #expect(v2.encoded == "AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJg==")
            let v3 = AspNetIdentityPasswordHash.v3(
                prf: .sha256, iterations: 10000, salt: salt,
                subkey: PBKDF2.derive(password: bytes("my password"), salt: salt, iterations: 10000, keyLength: 32,
                                      prf: .sha256))
            #expect(v3.encoded == "AQAAAAEAACcQAAAAEAABAgMEBQYHCAkKCwwNDg+yWU7rLgUwPZb1Itsmra7cbxw2EFpwpVFIEtP+JIuUEw==")
        }

        /// VerifyHashedPassword_Version3CompatMode_SuccessCases. ASP.NET accepts the SHA-256 one
        /// without rehash; Countersign rehashes everything that is not SHA-512 at the configured cost.
        static let aspNetSuccessCases: [(stored: String, comment: String)] = [
            ("ANXrDknc7fGPpigibZXXZFMX4aoqz44JveK6jQuwY3eH/UyPhvr5xTPeGYEckLxz9A==", "V2"),
            ("AQAAAAIAAAAyAAAAEOMwvh3+FZxqkdMBz2ekgGhwQ4B6pZWND6zgESBuWiHw", "V3 SHA512, 50 iterations, 128-bit subkey"),
            ("AQAAAAIAAAD6AAAAIJbVi5wbMR+htSfFp8fTw8N8GOS/Sje+S/4YZcgBfU7EQuqv4OkVYmc4VJl9AGZzmRTxSkP7LtVi9IWyUxX8IAAfZ8v"
                + "+ZfhjCcudtC1YERSqE1OEdXLW9VukPuJWBBjLuw==", "V3 SHA512, 250 iterations, 256-bit salt, 512-bit subkey"),
            ("AQAAAAAAAAD6AAAAEAhftMyfTJylOlZT+eEotFXd1elee8ih5WsjXaR3PA9M", "V3 SHA1, 250 iterations"),
            ("AQAAAAEAA9CQAAAAIESkQuj2Du8Y+kbc5lcN/W/3NiAZFEm11P27nrSN5/tId+bR1SwV8CO1Jd72r4C08OLvplNlCDc3oQZ8efcW+jQ=",
             "V3 SHA256, 250000 iterations"),
        ]

        @Test(arguments: aspNetSuccessCases)
        func aspNetHashesVerifyAndAreUpgraded(stored: String, comment: String) {
            let hasher = PasswordHasher(settings: PasswordHashSettings(algorithm: .pbkdf2SHA512), random: SecureRandom())
            #expect(hasher.verify("my password", against: stored) == .succeededRehashNeeded, "\(comment)")
            #expect(hasher.verify("my passwore", against: stored) == .failed, "\(comment)")
        }

        @Test func aspNetV3AtTheConfiguredCostNeedsNoRehash() {
            let stored = Self.aspNetSuccessCases[2].stored
            let sameCost = PasswordHasher(settings: .init(algorithm: .pbkdf2SHA512, pbkdf2Iterations: 250),
                                          random: SecureRandom())
            #expect(sameCost.verify("my password", against: stored) == .succeeded)
            let higherCost = PasswordHasher(settings: .init(algorithm: .pbkdf2SHA512, pbkdf2Iterations: 251),
                                            random: SecureRandom())
            #expect(higherCost.verify("my password", against: stored) == .succeededRehashNeeded)
            let argon2 = PasswordHasher(settings: Self.fastArgon2, random: SecureRandom())
            #expect(argon2.verify("my password", against: stored) == .succeededRehashNeeded)
        }

        /// VerifyHashedPassword_FailureCases, then damaged values of every format.
        static let unreadableOrWrong: [String] = [
            "AAABAgMEBQYHCAkKCwwNDg+uAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALtH1uJg==",  // incorrect password
            "AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggE=",  // too short
            "AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJgAAAAAAAAAAAAA=",  // extra data at end
            "AQAAAAAAAAD6AAAAEAhftMyfTJyAAAAAAAAAAAAAAAAAAAih5WsjXaR3PA9M",  // incorrect password
            "AQAAAAIAAAAyAAAAEOMwvh3+FZxqkdMBz2ekgGhwQ4A=",  // too short
            "AQAAAAIAAAAyAAAAEOMwvh3+FZxqkdMBz2ekgGhwQ4B6pZWND6zgESBuWiHwAAAAAAAAAAAA",  // extra data at end
            "", "$", "$$$$$", "AA==", "AQ==", "Ag==", "not base64!", "\0",
            "AQAAAAMAAAD6AAAAEAhftMyfTJylOlZT+eEotFXd1elee8ih5WsjXaR3PA9M",  // prf 3
            "AQAAAAAAAAAAAAAAEAhftMyfTJylOlZT+eEotFXd1elee8ih5WsjXaR3PA9M",  // 0 iterations
            "AQAAAACAAAAAAAAAEAhftMyfTJylOlZT+eEotFXd1elee8ih5WsjXaR3PA9M",  // iterations above Int32.max
            "AQAAAAAAAAD6/////whftMyfTJylOlZT+eEotFXd1elee8ih5WsjXaR3PA9M",  // salt length 2^32 - 1
            "AQAAAAAAAAD6AAAAD+whftMyfTJylOlZT+eEotFXd1elee8ih5WsjXaR3PA9",  // salt of 15 bytes
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/5",  // one bit off
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ",
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$",
            "$argon2id$v=19$m=256,t=2,p=1$$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ=$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=2,p=1$c29tZQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",  // 5-byte salt
            "$argon2id$v=18$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=019$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=0256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$t=2,m=256,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=0,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=2,p=0$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=4,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=-256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=4294967296,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=4194305,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",  // > 4 GiB
            "$argon2id$v=19$m=256,t=2,p=1,x=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2x$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4$",
            "argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR_uIPnA4rEsF5h7TKyQwu9U1bMCHGi-4",  // URL alphabet
        ]

        @Test(arguments: unreadableOrWrong)
        func unreadableOrWrongHashesFail(stored: String) {
            for settings in [Self.fastArgon2, Self.fastPBKDF2] {
                let hasher = PasswordHasher(settings: settings, random: SecureRandom())
                #expect(hasher.verify("my password", against: stored) == .failed)
                #expect(hasher.verify("password", against: stored) == .failed)
            }
            #expect(Argon2MappedMemory.bytesMapped.load(ordering: .relaxed) == 0)
        }

        struct RehashCase: Sendable, CustomTestStringConvertible {
            let stored: PasswordHashSettings
            let configured: PasswordHashSettings
            let expected: PasswordVerification
            let testDescription: String
        }

        static let rehashCases: [RehashCase] = [
            RehashCase(stored: fastArgon2, configured: fastArgon2, expected: .succeeded, testDescription: "same Argon2 cost"),
            RehashCase(stored: .init(argon2MemoryKiB: 512, argon2Iterations: 2, argon2Parallelism: 2), configured: fastArgon2,
                       expected: .succeeded, testDescription: "higher Argon2 cost"),
            RehashCase(stored: .init(argon2MemoryKiB: 128, argon2Iterations: 1), configured: fastArgon2,
                       expected: .succeededRehashNeeded, testDescription: "less memory"),
            RehashCase(stored: fastArgon2, configured: .init(argon2MemoryKiB: 256, argon2Iterations: 2),
                       expected: .succeededRehashNeeded, testDescription: "fewer passes"),
            RehashCase(stored: fastArgon2, configured: .init(argon2MemoryKiB: 256, argon2Iterations: 1, argon2Parallelism: 2),
                       expected: .succeededRehashNeeded, testDescription: "fewer lanes"),
            RehashCase(stored: fastArgon2, configured: fastPBKDF2, expected: .succeededRehashNeeded,
                       testDescription: "Argon2 stored, PBKDF2 configured"),
            RehashCase(stored: fastPBKDF2, configured: fastArgon2, expected: .succeededRehashNeeded,
                       testDescription: "PBKDF2 stored, Argon2 configured"),
            RehashCase(stored: fastPBKDF2, configured: fastPBKDF2, expected: .succeeded, testDescription: "same PBKDF2 cost"),
            RehashCase(stored: .init(algorithm: .pbkdf2SHA512, pbkdf2Iterations: 2000), configured: fastPBKDF2,
                       expected: .succeeded, testDescription: "more PBKDF2 iterations"),
            RehashCase(stored: fastPBKDF2, configured: .init(algorithm: .pbkdf2SHA512, pbkdf2Iterations: 1001),
                       expected: .succeededRehashNeeded, testDescription: "fewer PBKDF2 iterations"),
        ]

        @Test(arguments: rehashCases)
        func rehashIsNeededWhenTheStoredHashIsWeakerOrOfAnotherAlgorithm(_ rehash: RehashCase) throws {
            let stored = try PasswordHasher(settings: rehash.stored, random: SecureRandom()).hash("my password")
            let hasher = PasswordHasher(settings: rehash.configured, random: SecureRandom())
            #expect(hasher.verify("my password", against: stored) == rehash.expected)
            #expect(hasher.verify("my passwore", against: stored) == .failed)
        }

        @Test func argon2iAndShortHashesNeedRehash() throws {
            let hasher = PasswordHasher(settings: Self.fastArgon2, random: SecureRandom())
            let salt = Array(bytes("0123456789abcdef"))
            for (variant, length, saltLength) in [(Argon2.Variant.argon2i, 32, 16), (.argon2id, 16, 16), (.argon2id, 32, 8)] {
                let parameters = Argon2.Parameters(variant: variant, memoryKiB: 256, iterations: 1, parallelism: 1)
                let tag = try Argon2.hash(password: bytes("my password"), salt: Array(salt.prefix(saltLength)),
                                          parameters: parameters, length: length)
                let stored = Argon2PHCString(parameters: parameters, salt: Array(salt.prefix(saltLength)), hash: tag).encoded
                #expect(hasher.verify("my password", against: stored) == .succeededRehashNeeded, "\(stored)")
            }
        }

        @Test func settingsOutOfRangeThrowInsteadOfHashing() {
            let tinyMemory = PasswordHasher(settings: .init(argon2MemoryKiB: 4), random: SecureRandom())
            #expect(throws: PasswordHashingError("Argon2: Memory cost is too small")) { try tinyMemory.hash("x") }
            let negative = PasswordHasher(settings: .init(argon2Iterations: -1), random: SecureRandom())
            #expect(throws: PasswordHashingError.self) { try negative.hash("x") }
            let noIterations = PasswordHasher(settings: .init(algorithm: .pbkdf2SHA512, pbkdf2Iterations: 0),
                                              random: SecureRandom())
            #expect(throws: PasswordHashingError.self) { try noIterations.hash("x") }
        }
    }
}
