import Testing
@testable import Crypto

struct Base32Tests {
    /// RFC 4648 §10, padding removed.
    static let rfc4648: [(text: String, encoded: String)] = [
        ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"),
        ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI"),
    ]

    @Test(arguments: rfc4648)
    func matchesRFC4648(text: String, encoded: String) {
        #expect(Base32.encode(bytes(text)) == encoded)
        #expect(Base32.decode(encoded) == bytes(text))
        #expect(Base32.decode(encoded.lowercased()) == bytes(text))
    }

    @Test func roundTripsEveryLengthAndByte() {
        let all = [UInt8](0...255)
        for length in 0...40 {
            let input = Array(all.shuffled().prefix(length))
            let encoded = Base32.encode(input)
            #expect(encoded.count == (length * 8 + 4) / 5)
            #expect(Base32.decode(encoded) == input)
        }
        #expect(Base32.decode(Base32.encode(all)) == all)
    }

    @Test(arguments: [
        "MY======", "MZXQ====", "M", "MZX", "MZXW6Y", "MZXW6YTBO",  // padding, impossible lengths
        "MZ", "MZXR", "MZXW7", "MZXW6YR", "MZXW6YTBOJ",  // non-zero bits after the last byte
        "MZ1Q", "MZ8Q", "MZ0Q", "MZ XQ", " MZXQ", "MZXQ\n", "MZ-Q", "MZXÉ",  // not in the alphabet
    ])
    func rejectsMalformedText(_ text: String) {
        #expect(Base32.decode(text) == nil)
    }
}
