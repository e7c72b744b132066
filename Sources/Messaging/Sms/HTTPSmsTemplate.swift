import JSON

/// The `http_sms.body` template: literal text with `{to}`, `{to_digits}`, `{text}` and `{from}`,
/// each value escaped for where it lands, so no message text can change the request's shape.
///
/// A placeholder is `{` + letters, digits or `_` + `}`; anything else (`{"to": …}`, `{}`) is
/// literal, which is how JSON braces stay untouched.
struct HTTPSmsTemplate: Sendable, Equatable {
    enum Placeholder: String, CaseIterable, Sendable {
        case to, to_digits, text, from
    }

    enum Part: Sendable, Equatable {
        case literal(String)
        case placeholder(Placeholder)
    }

    /// How inserted values are escaped.
    enum Escaping: Sendable {
        /// The content of a JSON string (RFC 8259): the template supplies the quotes.
        case jsonString
        /// Percent-encoding of every byte but the unreserved ones: form bodies and query strings.
        case percent
    }

    let parts: [Part]

    /// Parses `text`; the names in braces that are not placeholders are returned, for the
    /// config message (they would otherwise be sent literally, surely by mistake).
    static func parse(_ text: String) -> (template: HTTPSmsTemplate, unknown: [String]) {
        var parts: [Part] = []
        var unknown: [String] = []
        var literal = ""
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if scalars[index] == "{", let close = nameEnd(in: scalars, from: index + 1) {
                var name = ""
                name.unicodeScalars.append(contentsOf: scalars[(index + 1)..<close])
                if let placeholder = Placeholder(rawValue: name) {
                    if !literal.isEmpty { parts.append(.literal(literal)) }
                    literal = ""
                    parts.append(.placeholder(placeholder))
                } else {
                    unknown.append(name)
                    literal += "{\(name)}"
                }
                index = close + 1
                continue
            }
            literal.unicodeScalars.append(scalars[index])
            index += 1
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return (HTTPSmsTemplate(parts: parts), unknown)
    }

    /// The index of the `}` closing a placeholder name that starts at `start`, or nil.
    private static func nameEnd(in scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start
        while index < scalars.count, isNameScalar(scalars[index]) { index += 1 }
        return index > start && index < scalars.count && scalars[index] == "}" ? index : nil
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    func uses(_ placeholder: Placeholder) -> Bool {
        parts.contains(.placeholder(placeholder))
    }

    /// The literal text, placeholders left out (for checks on what the operator wrote).
    var literalText: String {
        parts.reduce(into: "") { text, part in
            if case .literal(let literal) = part { text += literal }
        }
    }

    func render(_ values: [Placeholder: String], escaping: Escaping) -> String {
        parts.reduce(into: "") { out, part in
            switch part {
            case .literal(let literal):
                out += literal
            case .placeholder(let placeholder):
                out += HTTPSmsTemplate.escape(values[placeholder] ?? "", escaping)
            }
        }
    }

    static func escape(_ value: String, _ escaping: Escaping) -> String {
        switch escaping {
        case .jsonString:
            // The one JSON escaper of this module, without its surrounding quotes.
            String(JSONString.quoted(value).dropFirst().dropLast())
        case .percent:
            FormEncoding.percentEncode(value)
        }
    }

    /// The values of one message.
    static func values(for message: SmsMessage, from: String) -> [Placeholder: String] {
        [.to: message.to, .to_digits: String(message.to.dropFirst()), .text: message.body, .from: from]
    }
}
