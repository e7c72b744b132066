#if canImport(Glibc)
public import Glibc
#endif

/// A failed system call, with `strerror`'s words for its errno.
public struct SystemError: Error, CustomStringConvertible {
    public let operation: String
    public let code: Int32

    public init(_ operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }

    public var description: String { "\(operation): \(String(cString: strerror(code)))" }
}
