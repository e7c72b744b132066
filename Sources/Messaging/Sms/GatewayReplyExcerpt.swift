/// The start of a gateway's refusal, fit for a log line: why a 4xx came back is usually in the
/// body, but gateways like to repeat the request in it — the number, the text with its one-time
/// code, sometimes the credentials.
///
/// So, before cutting to `limit` characters: every run of 6 or more digits (a code is 6 to 10, a
/// phone number more, separators such as spaces, `-`, `.`, `(`, `)` and `/` allowed inside) has its
/// digits replaced by `*`, each secret given (header values, and each word of them) by `[secret]`,
/// and control characters by spaces so the excerpt stays on one line. Shorter numbers, such as a
/// gateway's own 5-digit error code, stay readable.
enum GatewayReplyExcerpt {
    static let limit = 200
    static let minimumMaskedDigits = 6

    static func make(_ body: [UInt8], secrets: [String]) -> String {
        // Only the start can reach the excerpt; masking a bounded prefix keeps a 1 MB answer cheap.
        var text = String(decoding: body.prefix(4096), as: UTF8.self)
        for secret in secrets.sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            text = text.replacing(secret, with: "[secret]")
        }
        let masked = maskDigitRuns(in: Array(text.unicodeScalars))
        var line = String.UnicodeScalarView()
        for scalar in masked {
            line.append(scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar)
        }
        let characters = String(line)
        return characters.count > limit ? String(characters.prefix(limit)) + "…" : characters
    }

    /// The words of the header values worth hiding on their own (`Bearer abc…` → `abc…`).
    static func secrets(fromHeaderValues values: [String]) -> [String] {
        values + values.flatMap { $0.split(separator: " ").map(String.init) }.filter { $0.count >= 8 }
    }

    private static let separators: Set<Unicode.Scalar> = [" ", "-", ".", "(", ")", "/"]

    private static func maskDigitRuns(in scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out = scalars
        var index = 0
        while index < scalars.count {
            guard isDigit(scalars[index]) else { index += 1; continue }
            // A run: digits, with at most two separators in a row between them.
            var end = index
            var digits = 0
            var cursor = index
            while cursor < scalars.count {
                if isDigit(scalars[cursor]) {
                    digits += 1
                    cursor += 1
                    end = cursor
                } else if separators.contains(scalars[cursor]) && cursor - end < 2 {
                    cursor += 1
                } else {
                    break
                }
            }
            if digits >= minimumMaskedDigits {
                for position in index..<end where isDigit(scalars[position]) { out[position] = "*" }
            }
            index = end
        }
        return out
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }
}
