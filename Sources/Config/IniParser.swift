/// One `key = value` line of an INI file, already placed in its section.
public struct IniEntry: Sendable, Equatable {
    public let section: String
    public let key: String
    public let value: String
    public let line: Int

    /// `section.key`, the name used everywhere else (documentation, error messages, lookups).
    public var name: String { "\(section).\(key)" }
}

/// The INI dialect of CONTRACT.md §2, kept deliberately small and strict:
/// `[section]` headers, `key = value` lines, whole-line `;` or `#` comments (inside a value they
/// are part of the value), `\n` in a value for a newline, `${NAME}` for an environment variable.
/// Anything else is a problem reported with its line number; nothing is guessed.
public enum IniParser {
    /// `unusable` names keys that were set but whose value could not be read (e.g. an unset
    /// `${VARIABLE}`): already reported, so they must not also be reported as missing.
    public static func parse(_ text: String, file: String, environment: [String: String]) -> (entries: [IniEntry], problems: [ConfigProblem], unusable: Set<String>) {
        var entries: [IniEntry] = []
        var problems: [ConfigProblem] = []
        var section: String?
        var seen: [String: Int] = [:]
        var unusable: Set<String> = []

        // Split on the scalar, not the Character: in Swift "\r\n" is one Character, so a file
        // edited on Windows would otherwise be one long line.
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
        for (index, rawLine) in lines.enumerated() {
            let lineNumber = index + 1
            func problem(_ message: String) {
                problems.append(ConfigProblem(file: file, line: lineNumber, message: message))
            }
            let line = trimmed(rawLine.unicodeScalars.last == "\r" ? Substring(String(String.UnicodeScalarView(rawLine.unicodeScalars.dropLast()))) : Substring(rawLine))
            if line.isEmpty || line.hasPrefix(";") || line.hasPrefix("#") { continue }

            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    problem("malformed section header \(quoted(line)); expected [name]")
                    continue
                }
                let name = trimmed(line.dropFirst().dropLast())
                guard isIdentifier(name) else {
                    problem("malformed section name \(quoted(name)); use letters, digits and _")
                    continue
                }
                section = name
                continue
            }

            guard let equals = line.firstIndex(of: "=") else {
                problem("expected `key = value`, `[section]` or a comment, got \(quoted(line))")
                continue
            }
            let key = trimmed(line[..<equals])
            let rawValue = trimmed(line[line.index(after: equals)...])
            guard isIdentifier(key) else {
                problem("malformed key \(quoted(key)); use letters, digits and _")
                continue
            }
            guard let section else {
                problem("key \(quoted(key)) comes before any [section]")
                continue
            }
            let name = "\(section).\(key)"
            if let first = seen[name] {
                problem("\(name) is set twice (first on line \(first))")
                continue
            }
            seen[name] = lineNumber
            switch expand(rawValue, environment: environment) {
            case .success(let value):
                entries.append(IniEntry(section: section, key: key, value: value, line: lineNumber))
            case .failure(let message):
                problem("\(name): \(message.text)")
                unusable.insert(name.hasSuffix("_file") ? String(name.dropLast(5)) : name)
            }
        }
        return (entries, problems, unusable)
    }

    struct ExpansionFailure: Error { let text: String }

    /// Replaces `\n` by a newline and `${NAME}` by the environment variable NAME.
    /// `\\` stands for one backslash so a literal `\n` can still be written.
    static func expand(_ value: String, environment: [String: String]) -> Result<String, ExpansionFailure> {
        var out = ""
        var chars = value[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "\\", let next = chars.first {
                if next == "n" { out.append("\n"); chars = chars.dropFirst(); continue }
                if next == "\\" { out.append("\\"); chars = chars.dropFirst(); continue }
                out.append(c)
                continue
            }
            if c == "$", chars.first == "{" {
                guard let close = chars.firstIndex(of: "}") else {
                    return .failure(ExpansionFailure(text: "unterminated ${ in value"))
                }
                let name = String(chars[chars.index(after: chars.startIndex)..<close])
                guard isEnvironmentName(name) else {
                    return .failure(ExpansionFailure(text: "malformed environment variable name \(quoted(name))"))
                }
                guard let replacement = environment[name] else {
                    return .failure(ExpansionFailure(text: "environment variable \(name) is not set"))
                }
                out += replacement
                chars = chars[chars.index(after: close)...]
                continue
            }
            out.append(c)
        }
        return .success(out)
    }

    static func trimmed(_ s: Substring) -> String {
        String(s.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }

    static func isIdentifier(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) }
    }

    static func isEnvironmentName(_ s: String) -> Bool {
        isIdentifier(s) && !(s.utf8.first.map { $0 >= 48 && $0 <= 57 } ?? true)
    }

    static func quoted(_ s: some StringProtocol) -> String {
        let shown = s.count > 60 ? s.prefix(60) + "…" : Substring(s)
        return "\"\(shown)\""
    }
}
