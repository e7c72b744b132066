import Foundation
import Synchronization

/// Runs `setUp` then `body` on each of `count` threads; every `body` starts only when all
/// set-ups are done, so the bodies race as closely as threads allow. Results in thread order.
/// Tests only: library code has no threads.
public func onThreads<State, T: Sendable>(_ count: Int, setUp: @escaping @Sendable (Int) -> State,
                                          _ body: @escaping @Sendable (Int, State) -> T) -> [T] {
    let results = Mutex<[Int: T]>([:])
    let ready = DispatchSemaphore(value: 0)
    let go = DispatchSemaphore(value: 0)
    let finished = DispatchGroup()
    for index in 0..<count {
        finished.enter()
        let thread = Thread {
            let state = setUp(index)
            ready.signal()
            go.wait()
            let result = body(index, state)
            results.withLock { $0[index] = result }
            finished.leave()
        }
        thread.start()
    }
    for _ in 0..<count { ready.wait() }
    for _ in 0..<count { go.signal() }
    finished.wait()
    return results.withLock { dictionary in (0..<count).map { dictionary[$0]! } }
}

/// `onThreads` without a set-up.
public func onThreads<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    onThreads(count, setUp: { _ in () }) { index, _ in body(index) }
}
