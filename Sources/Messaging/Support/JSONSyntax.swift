/// A strict RFC 8259 syntax check, for `check-config` to tell an operator that an `http_sms.body`
/// template is not JSON once its placeholders are filled — before a gateway answers 400 at the
/// first real send. It only validates; it builds nothing.
///
/// Strict means what RFC 8259 allows and nothing more: no comments, no trailing commas, no single
/// quotes, no NaN, no unescaped control characters in strings, one value and only whitespace
/// around it. Nesting deeper than `maxDepth` is refused rather than risking the stack.
enum JSONSyntax {
    struct Failure: Error, Equatable, CustomStringConvertible {
        /// What was expected or found, e.g. `expected ',' or '}'`.
        let reason: String
        /// 1-based position in characters (Unicode scalars), for the operator to count to.
        let position: Int

        var description: String { "\(reason) at character \(position)" }
    }

    static let maxDepth = 64

    /// Throws the first syntax error of `text`.
    static func validate(_ text: String) throws(Failure) {
        var parser = Parser(scalars: Array(text.unicodeScalars))
        parser.skipWhitespace()
        try parser.value(depth: 0)
        parser.skipWhitespace()
        if !parser.atEnd { throw parser.failure("unexpected text after the JSON value") }
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0

        var atEnd: Bool { index >= scalars.count }
        var current: Unicode.Scalar? { atEnd ? nil : scalars[index] }

        func failure(_ reason: String) -> Failure {
            Failure(reason: reason, position: index + 1)
        }

        mutating func skipWhitespace() {
            while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" { index += 1 }
        }

        mutating func expect(_ scalar: Unicode.Scalar) throws(Failure) {
            guard current == scalar else { throw failure("expected '\(scalar)'") }
            index += 1
        }

        mutating func value(depth: Int) throws(Failure) {
            guard depth < JSONSyntax.maxDepth else { throw failure("nested deeper than \(JSONSyntax.maxDepth) levels") }
            switch current {
            case "{": try object(depth: depth)
            case "[": try array(depth: depth)
            case "\"": try string()
            case "t": try literal("true")
            case "f": try literal("false")
            case "n": try literal("null")
            case .some(let c) where c == "-" || ("0"..."9").contains(c): try number()
            case nil: throw failure("expected a value, found the end")
            default: throw failure("expected a value")
            }
        }

        mutating func object(depth: Int) throws(Failure) {
            index += 1  // {
            skipWhitespace()
            if current == "}" { index += 1; return }
            while true {
                skipWhitespace()
                guard current == "\"" else { throw failure("expected a string key") }
                try string()
                skipWhitespace()
                try expect(":")
                skipWhitespace()
                try value(depth: depth + 1)
                skipWhitespace()
                if current == "," { index += 1; continue }
                if current == "}" { index += 1; return }
                throw failure("expected ',' or '}'")
            }
        }

        mutating func array(depth: Int) throws(Failure) {
            index += 1  // [
            skipWhitespace()
            if current == "]" { index += 1; return }
            while true {
                skipWhitespace()
                try value(depth: depth + 1)
                skipWhitespace()
                if current == "," { index += 1; continue }
                if current == "]" { index += 1; return }
                throw failure("expected ',' or ']'")
            }
        }

        mutating func string() throws(Failure) {
            index += 1  // opening quote
            while let c = current {
                switch c {
                case "\"":
                    index += 1
                    return
                case "\\":
                    index += 1
                    switch current {
                    case "\"", "\\", "/", "b", "f", "n", "r", "t":
                        index += 1
                    case "u":
                        index += 1
                        for _ in 0..<4 {
                            guard let h = current, h.properties.isASCIIHexDigit else { throw failure("expected 4 hex digits after \\u") }
                            index += 1
                        }
                    default:
                        throw failure("invalid escape in a string")
                    }
                default:
                    guard c.value >= 0x20 else { throw failure("unescaped control character in a string") }
                    index += 1
                }
            }
            throw failure("unterminated string")
        }

        mutating func literal(_ word: String) throws(Failure) {
            for expected in word.unicodeScalars {
                guard current == expected else { throw failure("expected \(word)") }
                index += 1
            }
        }

        mutating func number() throws(Failure) {
            if current == "-" { index += 1 }
            if current == "0" {
                index += 1
            } else {
                guard digits() > 0 else { throw failure("expected a digit") }
            }
            if current == "." {
                index += 1
                guard digits() > 0 else { throw failure("expected a digit after '.'") }
            }
            if current == "e" || current == "E" {
                index += 1
                if current == "+" || current == "-" { index += 1 }
                guard digits() > 0 else { throw failure("expected a digit in the exponent") }
            }
        }

        /// Consumes ASCII digits and returns how many.
        mutating func digits() -> Int {
            let start = index
            while let c = current, ("0"..."9").contains(c) { index += 1 }
            return index - start
        }
    }
}
