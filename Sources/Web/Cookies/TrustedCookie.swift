extension SetCookie {
    /// For cookies whose name is a constant of ours and whose value is base64url: they cannot
    /// break the rules `init` checks, and a test per cookie proves it, so a failure here is a
    /// programming error rather than something a request could cause.
    static func ours(name: String, value: String, maxAge: Int? = nil, secure: Bool, sameSite: SameSite) -> SetCookie {
        do {
            return try SetCookie(name: name, value: value, path: "/", maxAge: maxAge, httpOnly: true,
                                 secure: secure, sameSite: sameSite)
        } catch {
            preconditionFailure("\(error)")
        }
    }

    static func oursDeleted(name: String, secure: Bool, sameSite: SameSite) -> SetCookie {
        do {
            return try SetCookie.deletion(name: name, path: "/", secure: secure, sameSite: sameSite)
        } catch {
            preconditionFailure("\(error)")
        }
    }
}
