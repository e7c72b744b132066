/// Headers every answer of Countersign carries.
///
/// `Cache-Control: no-store` is set on every answer, not only when signed in: every page either
/// holds a form with this visitor's antiforgery token, shows a flash meant to be seen once, or
/// shows account data, so no page may be kept by a shared cache or the back button. The pages are
/// small; nothing is lost.
public enum SecurityHeaders {
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    public static let all: [(name: String, value: String)] = [
        ("Content-Security-Policy", contentSecurityPolicy),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        ("Cache-Control", "no-store"),
    ]

    /// Sets every header of `all`, replacing any the handler set.
    public static func apply(to response: inout Response) {
        for (name, value) in all {
            response.setHeader(name, value)
        }
    }
}
