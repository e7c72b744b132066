public import FoundationEssentials

/// A parsed config file with typed, validating accessors.
///
/// Accessors never throw: a bad or missing value is recorded as a `ConfigProblem` and a default is
/// returned, so that one run of `check-config` lists every problem at once. Whoever builds the
/// services calls `finish(knownKeys:)` at the end, which adds unknown keys and throws if anything
/// was wrong.
///
/// `K_file = PATH` is accepted for every key K: the value is read from PATH (relative to the config
/// file's folder), without its trailing newline — the usual way to keep secrets out of config files.
public final class Config {
    /// The config file as named on the command line; used as-is in error messages.
    public let file: String
    /// The folder relative paths are resolved against.
    public let directory: String
    public private(set) var problems: [ConfigProblem]
    /// Things that work but are probably not what the operator wants (e.g. a two-segment SMS).
    public private(set) var warnings: [ConfigProblem] = []
    /// The file could not be read at all: every other message would be noise.
    public private(set) var isUnreadable = false

    private var entries: [String: IniEntry] = [:]
    /// Keys set in the file whose value could not be read; their problem is already recorded.
    private var unusable: Set<String> = []

    /// Reads and parses `path`. An unreadable file is a problem, not a crash.
    public convenience init(path: String, environment: [String: String]) {
        let text: String
        var problems: [ConfigProblem] = []
        do {
            text = try Config.readTextFile(path)
        } catch let problem as ConfigProblem {
            text = ""
            problems.append(ConfigProblem(file: path, line: nil, message: "cannot read the config file: \(problem.message)"))
        } catch {
            text = ""
            problems.append(ConfigProblem(file: path, line: nil, message: "cannot read the config file: \(error)"))
        }
        self.init(text: text, file: path, environment: environment)
        self.problems.insert(contentsOf: problems, at: 0)
        isUnreadable = !problems.isEmpty
    }

    public init(text: String, file: String, environment: [String: String], directory: String? = nil) {
        self.file = file
        self.directory = directory ?? Config.parentDirectory(of: file)
        let parsed = IniParser.parse(text, file: file, environment: environment)
        problems = parsed.problems
        unusable = parsed.unusable
        for entry in parsed.entries {
            if entry.key.hasSuffix("_file") {
                let key = String(entry.key.dropLast(5))
                let name = "\(entry.section).\(key)"
                if entries[name] != nil {
                    problem(entry.line, "\(name) is given both directly and as \(entry.name)")
                    continue
                }
                let path = resolvePath(entry.value)
                do {
                    var scalars = try Config.readTextFile(path).unicodeScalars[...]
                    if scalars.last == "\n" { scalars = scalars.dropLast() }
                    if scalars.last == "\r" { scalars = scalars.dropLast() }
                    let value = String(String.UnicodeScalarView(scalars))
                    entries[name] = IniEntry(section: entry.section, key: key, value: value, line: entry.line)
                } catch {
                    problem(entry.line, "\(entry.name): cannot read \(path): \(error)")
                }
            } else {
                if let existing = entries[entry.name] {
                    problem(entry.line, "\(entry.name) is given both directly and as \(entry.name)_file (line \(existing.line))")
                    continue
                }
                entries[entry.name] = entry
            }
        }
    }

    // MARK: - Accessors

    /// True when the file sets `name`.
    public func has(_ name: String) -> Bool { entries[name] != nil }

    /// The line that set `name`, for messages about values that are individually fine but
    /// together wrong.
    public func line(of name: String) -> Int? { entries[name]?.line }

    /// A string value. `default: nil` makes the key required. An empty value is refused unless
    /// `allowEmpty` (for keys whose documented default is "empty").
    public func string(_ name: String, default defaultValue: String?, allowEmpty: Bool = false) -> String {
        guard let entry = entries[name] else {
            if let defaultValue { return defaultValue }
            if unusable.contains(name) { return "" }
            problems.append(ConfigProblem(file: file, line: nil, message: "missing required key \(name)"))
            return ""
        }
        if entry.value.isEmpty && !allowEmpty {
            problem(entry.line, "\(name) must not be empty")
            return defaultValue ?? ""
        }
        return entry.value
    }

    /// A value that is only needed when some provider is chosen: nil when absent.
    public func optionalString(_ name: String) -> String? {
        guard let entry = entries[name] else { return nil }
        if entry.value.isEmpty {
            problem(entry.line, "\(name) must not be empty")
            return nil
        }
        return entry.value
    }

    /// A value required by the chosen provider, with a message naming who needs it.
    public func required(_ name: String, by who: String) -> String {
        if let value = optionalString(name) { return value }
        if entries[name] == nil && !unusable.contains(name) {
            problems.append(ConfigProblem(file: file, line: nil, message: "missing key \(name), required by \(who)"))
        }
        return ""
    }

    public func int(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) -> Int {
        guard let entry = entries[name] else { return defaultValue }
        guard let value = Int(entry.value), range.contains(value) else {
            problem(entry.line, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got \(IniParser.quoted(entry.value))")
            return defaultValue
        }
        return value
    }

    public func bool(_ name: String, default defaultValue: Bool) -> Bool {
        guard let entry = entries[name] else { return defaultValue }
        switch entry.value.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default:
            problem(entry.line, "\(name) must be true or false, got \(IniParser.quoted(entry.value))")
            return defaultValue
        }
    }

    /// `30s`, `10m`, `2h`, `14d` in seconds. `0s` only when `allowZero`.
    public func duration(_ name: String, default defaultValue: String, allowZero: Bool = false) -> TimeInterval {
        let fallback = Config.parseDuration(defaultValue) ?? 0
        guard let entry = entries[name] else { return fallback }
        guard let value = Config.parseDuration(entry.value), allowZero || value > 0 else {
            let zero = allowZero ? "" : ", more than zero"
            problem(entry.line, "\(name) must be a duration such as 30s, 10m, 2h or 14d\(zero), got \(IniParser.quoted(entry.value))")
            return fallback
        }
        return value
    }

    /// Bytes, or with a `k` (×1024) or `m` (×1024²) suffix.
    public func size(_ name: String, default defaultValue: Int) -> Int {
        guard let entry = entries[name] else { return defaultValue }
        guard let value = Config.parseSize(entry.value), value > 0 else {
            problem(entry.line, "\(name) must be a size such as 65536 or 64k, got \(IniParser.quoted(entry.value))")
            return defaultValue
        }
        return value
    }

    /// A comma list with blanks trimmed; empty entries are refused.
    public func list(_ name: String, default defaultValue: [String] = []) -> [String] {
        guard let entry = entries[name] else { return defaultValue }
        if entry.value.isEmpty { return [] }
        let items = entry.value.split(separator: ",", omittingEmptySubsequences: false).map { IniParser.trimmed($0) }
        if items.contains(where: \.isEmpty) {
            problem(entry.line, "\(name) has an empty item in its comma list")
            return items.filter { !$0.isEmpty }
        }
        return items
    }

    /// One of a fixed set of words; the message lists them.
    public func choice(_ name: String, default defaultValue: String, among choices: [String]) -> String {
        guard let entry = entries[name] else { return defaultValue }
        guard choices.contains(entry.value) else {
            problem(entry.line, "\(name) must be one of \(choices.joined(separator: ", ")), got \(IniParser.quoted(entry.value))")
            return defaultValue
        }
        return entry.value
    }

    /// A file path, resolved against the config file's folder when relative.
    public func path(_ name: String, default defaultValue: String?) -> String {
        let value = string(name, default: defaultValue)
        return value.isEmpty ? value : resolvePath(value)
    }

    public func resolvePath(_ path: String) -> String {
        if path.hasPrefix("/") || directory.isEmpty { return path }
        return directory + "/" + path
    }

    // MARK: - Reporting

    /// Records a problem with the value of `name` (at its line when the file sets it).
    public func fail(_ name: String, _ message: String) {
        if let line = entries[name]?.line {
            problem(line, "\(name): \(message)")
        } else {
            problems.append(ConfigProblem(file: file, line: nil, message: "\(name): \(message)"))
        }
    }

    public func warn(_ name: String, _ message: String) {
        warnings.append(ConfigProblem(file: file, line: entries[name]?.line, message: "warning: \(name): \(message)"))
    }

    /// Adds a problem for every key not in `knownKeys` and throws when anything was wrong.
    public func finish(knownKeys: Set<String>) throws(ConfigErrors) {
        if isUnreadable { throw ConfigErrors(problems: [problems[0]]) }
        let knownSections = Set(knownKeys.map { $0.split(separator: ".").first.map(String.init) ?? $0 })
        for entry in entries.values.sorted(by: { $0.line < $1.line }) where !knownKeys.contains(entry.name) {
            if knownSections.contains(entry.section) {
                problem(entry.line, "unknown key \(entry.name)")
            } else {
                problem(entry.line, "unknown section [\(entry.section)]")
            }
        }
        if !problems.isEmpty {
            throw ConfigErrors(problems: problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
        }
    }

    private func problem(_ line: Int, _ message: String) {
        problems.append(ConfigProblem(file: file, line: line, message: message))
    }

    // MARK: - Value syntax

    public static func parseDuration(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let number = Int(text.dropLast()), number >= 0, text.first != "+" else { return nil }
        let seconds: Int
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3600
        case "d": seconds = 86400
        default: return nil
        }
        let (product, overflow) = number.multipliedReportingOverflow(by: seconds)
        return overflow ? nil : TimeInterval(product)
    }

    public static func parseSize(_ text: String) -> Int? {
        var digits = Substring(text)
        var multiplier = 1
        if let last = text.last?.lowercased() {
            if last == "k" { multiplier = 1024; digits = digits.dropLast() }
            if last == "m" { multiplier = 1024 * 1024; digits = digits.dropLast() }
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let number = Int(digits) else { return nil }
        let (product, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Reads a whole text file (config files and `_file` secrets).
    public static func readTextFile(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigProblem(file: path, line: nil, message: "no such file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ConfigProblem(file: path, line: nil, message: "permission denied")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigProblem(file: path, line: nil, message: "not valid UTF-8")
        }
        return text
    }
}
