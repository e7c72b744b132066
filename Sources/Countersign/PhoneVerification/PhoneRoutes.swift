import Web

/// The phone-verification routes (CONTRACT.md §3, issue 3).
enum PhoneRoutes {
    static func add(to router: inout Router<Route>) {}
}
