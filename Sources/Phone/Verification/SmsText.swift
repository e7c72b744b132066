public import FoundationEssentials

/// The text message that carries a code (CONTRACT.md §5).
///
/// The template (`sms.template`) may use `{app}` (`server.app_name`), `{code}`, `{minutes}` (how
/// long the code lives, rounded up, at least 1) and `{host}` (the host name of
/// `server.base_url`). With WebOTP on, a blank line and `@{host} #{code}` follow, the line a
/// browser's WebOTP API (and iOS/Android autofill) looks for at the end of the message to offer
/// the code to the right site only.
public enum SmsText {
    public static let defaultTemplate = "Your {app} code is {code}. Valid for {minutes} min."

    /// The placeholder names a template may use, without braces.
    public static let placeholders = ["app", "code", "minutes", "host"]

    /// The message for one code. Placeholders are replaced in one pass over the template, so an
    /// app name that happens to contain `{code}` is printed as it is, never expanded.
    public static func render(template: String, app: String, code: String, lifetime: TimeInterval, host: String,
                              webOtp: Bool) -> String {
        let values = ["app": app, "code": code, "minutes": String(minutes(for: lifetime)), "host": host]
        var text = ""
        for piece in pieces(of: template) {
            switch piece {
            case .literal(let literal): text += literal
            case .placeholder(let name): text += values[name] ?? "{\(name)}"
            }
        }
        if webOtp {
            text += "\n\n@\(host) #\(code)"
        }
        return text
    }

    /// Whole minutes a code lives, rounded up and at least 1: a code valid for 90 s says "2 min",
    /// never less than the truth and never "0 min".
    public static func minutes(for lifetime: TimeInterval) -> Int {
        max(1, Int((lifetime / 60).rounded(.up)))
    }

    /// What is wrong with a template, as messages for `config.fail("sms.template", …)`: a
    /// placeholder we do not know (a typo would otherwise reach every user's phone verbatim) and
    /// a missing `{code}`.
    public static func problems(in template: String) -> [String] {
        var problems: [String] = []
        var names: [String] = []
        for case .placeholder(let name) in pieces(of: template) {
            names.append(name)
            if !placeholders.contains(name) && !problems.contains(where: { $0.contains("{\(name)}") }) {
                problems.append("unknown placeholder {\(name)}; the template may use \(placeholders.map { "{\($0)}" }.joined(separator: ", "))")
            }
        }
        if !names.contains("code") {
            problems.append("must contain {code}, where the code goes")
        }
        return problems
    }

    private enum Piece {
        case literal(String)
        case placeholder(String)
    }

    /// Splits a template into text and placeholders. A placeholder is `{` + one or more ASCII
    /// letters, digits or `_` + `}`; any other brace is ordinary text.
    private static func pieces(of template: String) -> [Piece] {
        var pieces: [Piece] = []
        var literal = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            let afterOpen = rest.index(after: open)
            let name = rest[afterOpen...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            if !name.isEmpty, name.endIndex < rest.endIndex, rest[name.endIndex] == "}" {
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = ""
                pieces.append(.placeholder(String(name)))
                rest = rest[rest.index(after: name.endIndex)...]
            } else {
                literal += "{"
                rest = rest[afterOpen...]
            }
        }
        literal += rest
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }
}
