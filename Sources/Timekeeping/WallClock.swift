public import FoundationEssentials

/// Where "now" comes from. Injected everywhere expiry, cooldowns or lockouts are decided, so tests
/// move time forward instead of sleeping.
public protocol WallClock: AnyObject {
    var now: Date { get }
}

/// The real time of the machine.
public final class SystemClock: WallClock {
    public init() {}
    public var now: Date { Date() }
}

/// A clock that stands still until a test moves it.
public final class ManualClock: WallClock {
    public var now: Date

    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        now = start
    }

    public func advance(by seconds: TimeInterval) {
        now = now.addingTimeInterval(seconds)
    }
}
