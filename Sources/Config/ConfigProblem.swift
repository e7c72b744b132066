/// One thing wrong with a config file, printed as `FILE:LINE: message` (or `FILE: message` when no
/// line is to blame, e.g. a missing required key) — the shape compilers use, so editors can jump to it.
public struct ConfigProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// Every problem found in one config file; start-up stops with exit code 2 when this is thrown.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public let problems: [ConfigProblem]

    public init(problems: [ConfigProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
