import Foundation

/// A one-way signal between a test and a fake server's thread: the server waits at the gate, the
/// test opens it once it has seen what it needed (a client that gave up on its own timeout).
/// Waiting has a limit so that a client that never gives up fails its test instead of hanging it.
public final class Gate: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var isOpen = false

    public init() {}

    public func open() {
        let first = lock.withLock { () -> Bool in
            defer { isOpen = true }
            return !isOpen
        }
        if first { semaphore.signal() }
    }

    /// True once opened; false if `limit` seconds passed first.
    public func wait(upTo limit: TimeInterval) -> Bool {
        guard semaphore.wait(timeout: .now() + limit) == .success else { return false }
        semaphore.signal()  // opened stays opened, for every later waiter
        return true
    }
}
