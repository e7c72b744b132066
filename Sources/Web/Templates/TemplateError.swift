/// A template that cannot be loaded, parsed or rendered, reported as `FILE:LINE: message` so
/// `check-config` can point a site owner at the exact place in a restyled template.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path (or the template's name for templates given in memory).
    public let file: String
    /// 1-based; nil when the problem is the file as a whole.
    public let line: Int?
    public let message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { "\(file):\(line): \(message)" } else { "\(file): \(message)" }
    }
}
