import Testing
@testable import Crypto

struct PBKDF2Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let password: [UInt8]
        let salt: [UInt8]
        let iterations: Int
        let prf: HMAC.Algorithm
        let derived: String
        var testDescription: String {
            "\(prf) \(String(decoding: password, as: UTF8.self).debugDescription) c=\(iterations) dkLen=\(derived.count / 2)"
        }
    }

    /// RFC 6070 §2, without the 16 777 216-iteration case (minutes of CPU for nothing new).
    static let rfc6070: [Vector] = [
        Vector(password: bytes("password"), salt: bytes("salt"), iterations: 1, prf: .sha1,
               derived: "0c60c80f961f0e71f3a9b524af6012062fe037a6"),
        Vector(password: bytes("password"), salt: bytes("salt"), iterations: 2, prf: .sha1,
               derived: "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"),
        Vector(password: bytes("password"), salt: bytes("salt"), iterations: 4096, prf: .sha1,
               derived: "4b007901b765489abead49d926f721d065a429c1"),
        Vector(password: bytes("passwordPASSWORDpassword"), salt: bytes("saltSALTsaltSALTsaltSALTsaltSALTsalt"),
               iterations: 4096, prf: .sha1, derived: "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"),
        Vector(password: bytes("pass\0word"), salt: bytes("sa\0lt"), iterations: 4096, prf: .sha1,
               derived: "56fa6aa75548099dcc37d7f03425e0c3"),
    ]

    /// RFC 7914 §11 (PBKDF2-HMAC-SHA256) and the widely republished "password"/"salt" vectors for
    /// SHA-256 and SHA-512.
    static let sha2: [Vector] = [
        Vector(password: bytes("passwd"), salt: bytes("salt"), iterations: 1, prf: .sha256,
               derived: "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                   + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"),
        Vector(password: bytes("Password"), salt: bytes("NaCl"), iterations: 80000, prf: .sha256,
               derived: "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
                   + "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"),
        Vector(password: bytes("password"), salt: bytes("salt"), iterations: 1, prf: .sha256,
               derived: "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"),
        Vector(password: bytes("password"), salt: bytes("salt"), iterations: 4096, prf: .sha256,
               derived: "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"),
        Vector(password: bytes("password"), salt: bytes("salt"), iterations: 1, prf: .sha512,
               derived: "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252"
                   + "c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce"),
        Vector(password: bytes("password"), salt: bytes("salt"), iterations: 2, prf: .sha512,
               derived: "e1d9c16aa681708a45f5c7c4e215ceb66e011a2e9f0040713f18aefdb866d53c"
                   + "f76cab2868a39b9f7840edce4fef5a82be67335c77a6068e04112754f27ccf4e"),
        Vector(password: bytes("password"), salt: bytes("salt"), iterations: 4096, prf: .sha512,
               derived: "d197b1b33db0143e018b12f3d1d1479e6cdebdcc97c5c0f87f6902e072f457b5"
                   + "143f30602641b3d55cd335988cb36b84376060ecd532e039b742a239434af2d5"),
    ]

    @Test(arguments: rfc6070 + sha2)
    func derivesPublishedKey(_ vector: Vector) {
        let derived = PBKDF2.derive(password: vector.password, salt: vector.salt, iterations: vector.iterations,
                                    keyLength: vector.derived.count / 2, prf: vector.prf)
        #expect(Hex.encode(derived) == vector.derived)
    }

    @Test func emptyPasswordAndSaltAreAllowed() {
        let empty = PBKDF2.derive(password: [], salt: [], iterations: 1, keyLength: 32, prf: .sha256)
        // PBKDF2 with one iteration is HMAC(password, salt || INT(1)).
        #expect(empty == HMAC.sha256([0, 0, 0, 1], key: []))
    }
}
