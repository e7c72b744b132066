@testable import Messaging
import Testing

@Suite struct SmsSegmentsTests {
    @Test func theGSMBasicTableHasAllButTheEscape() {
        #expect(GSM7Alphabet.basic.count == 127)
        #expect(GSM7Alphabet.extended.count == 10)
        #expect(GSM7Alphabet.basic.isDisjoint(with: GSM7Alphabet.extended))
    }

    @Test(arguments: [
        ("", SmsSegments.Encoding.gsm7, 1),
        (String(repeating: "a", count: 160), .gsm7, 1),
        (String(repeating: "a", count: 161), .gsm7, 2),
        (String(repeating: "a", count: 306), .gsm7, 2),
        (String(repeating: "a", count: 307), .gsm7, 3),
        (String(repeating: "€", count: 80), .gsm7, 1),           // 160 septets
        (String(repeating: "€", count: 81), .gsm7, 2),
        (String(repeating: "a", count: 152) + "€" + String(repeating: "a", count: 152), .gsm7, 3),  // 306 septets, but € is not split
        ("Your Countersign code is 123456. Valid for 10 min.\n\n@example.com #123456", .gsm7, 1),
        ("Prix: 5€ [ok] ñ à Ç", .gsm7, 1),
        ("ç", .ucs2, 1),                                          // only capital Ç is GSM-7
        (String(repeating: "ж", count: 70), .ucs2, 1),
        (String(repeating: "ж", count: 71), .ucs2, 2),
        (String(repeating: "ж", count: 134), .ucs2, 2),
        (String(repeating: "ж", count: 135), .ucs2, 3),
        (String(repeating: "😀", count: 35), .ucs2, 1),          // 70 UTF-16 units
        (String(repeating: "😀", count: 36), .ucs2, 2),
        (String(repeating: "a", count: 66) + "😀", .ucs2, 1),    // 68 units still fit one message
        (String(repeating: "a", count: 66) + "😀" + String(repeating: "a", count: 3), .ucs2, 2),
    ])
    func counts(text: String, encoding: SmsSegments.Encoding, segments: Int) {
        let result = SmsSegments.count(for: text)
        #expect(result.encoding == encoding)
        #expect(result.segments == segments)
    }
}
