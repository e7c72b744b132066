import Foundation
@testable import Messaging
import Testing

/// The strict RFC 8259 check behind `check-config`'s JSON template message. Every accepted text is
/// also accepted by Foundation's parser, and every refused one is something RFC 8259 refuses.
@Suite struct JSONSyntaxTests {
    @Test(arguments: [
        "{}", "[]", "0", "-0", "1.5e-3", "-12.0E+2", "true", "false", "null", #""""#,
        #"{"a":1,"b":[true,false,null,{"c":"d"}],"e":-0.5}"#,
        " \t\r\n{ \"a\" : [ 1 , 2 ] } \n",
        #"{"s":"quote \" backslash \\ slash \/ \b\f\n\r\t \u00e9 \uD83D\uDE00"}"#,
        "\"é 😀 \u{2028}\"",
    ])
    func validJSONIsAccepted(_ text: String) throws {
        #expect(throws: Never.self) { try JSONSyntax.validate(text) }
        #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) }
    }

    @Test(arguments: [
        ("", "expected a value, found the end at character 1"),
        ("{", "expected a string key at character 2"),
        (#"{"a":1,}"#, "expected a string key at character 8"),
        ("[1,]", "expected a value at character 4"),
        ("[1 2]", "expected ',' or ']' at character 4"),
        ("{'a':1}", "expected a string key at character 2"),
        (#"{"a" 1}"#, "expected ':' at character 6"),
        ("01", "unexpected text after the JSON value at character 2"),
        ("1.", "expected a digit after '.' at character 3"),
        ("1e", "expected a digit in the exponent at character 3"),
        ("-", "expected a digit at character 2"),
        (".5", "expected a value at character 1"),
        ("+1", "expected a value at character 1"),
        ("NaN", "expected a value at character 1"),
        ("tru", "expected true at character 4"),
        ("\"a\nb\"", "unescaped control character in a string at character 3"),
        ("\"a\\x\"", "invalid escape in a string at character 4"),
        ("\"\\u12G4\"", "expected 4 hex digits after \\u at character 6"),
        ("\"open", "unterminated string at character 6"),
        ("{} {}", "unexpected text after the JSON value at character 4"),
        ("// c\n{}", "expected a value at character 1"),
    ])
    func invalidJSONIsRefusedWithWhereAndWhy(text: String, expected: String) {
        let error = #expect(throws: JSONSyntax.Failure.self) { try JSONSyntax.validate(text) }
        #expect(error?.description == expected)
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let error = #expect(throws: JSONSyntax.Failure.self) { try JSONSyntax.validate(deep) }
        #expect(error?.reason == "nested deeper than 64 levels")
        #expect(throws: Never.self) { try JSONSyntax.validate(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)) }
    }
}

@Suite struct GatewayReplyExcerptTests {
    func excerpt(_ text: String, secrets: [String] = []) -> String {
        GatewayReplyExcerpt.make(Array(text.utf8), secrets: secrets)
    }

    @Test(arguments: [
        ("to +4915112345678 refused", "to +************* refused"),
        ("number (201) 555-0123 invalid", "number (***) ***-**** invalid"),
        ("0151 2345 6789", "**** **** ****"),
        ("code 123456 wrong", "code ****** wrong"),
        ("error 21211 at 12:30", "error 21211 at 12:30"),
        ("a\nb\r\tc\u{7F}", "a b  c "),
    ])
    func numbersAndCodesAreMaskedShortNumbersKept(text: String, expected: String) {
        #expect(excerpt(text) == expected)
    }

    @Test func secretsAndTheirWordsAreMasked() {
        let secrets = GatewayReplyExcerpt.secrets(fromHeaderValues: ["Bearer sk_live_abcdef", "short"])
        #expect(excerpt("got Bearer sk_live_abcdef; token sk_live_abcdef; short", secrets: secrets) == "got [secret]; token [secret]; [secret]")
        #expect(!secrets.contains("Bearer"))
    }

    @Test func longAnswersAreCutAt200CharactersAfterMasking() {
        let text = String(repeating: "é", count: 199) + "12345678"
        #expect(excerpt(text) == String(repeating: "é", count: 199) + "*…")
    }
}
