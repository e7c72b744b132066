public import FoundationEssentials

/// One account, field for field the columns of ASP.NET Core Identity's `AspNetUsers` (plus
/// `FirstName` and `LastName`), so a database can move between the two.
public struct UserRecord: Sendable, Equatable {
    /// A lower-case GUID string, as ASP.NET writes it, e.g. "3f2504e0-4f89-41d3-9a0c-0305e82c3301".
    public var id: String
    public var userName: String
    /// Upper-case form used for look-ups (.NET's `ToUpperInvariant`).
    public var normalizedUserName: String
    public var email: String
    /// Upper-case form used for look-ups; unique across users.
    public var normalizedEmail: String
    public var emailConfirmed: Bool
    public var passwordHash: String
    /// Changes when the password changes or a phone number is verified; sessions, links and codes
    /// bound to an older stamp stop working.
    public var securityStamp: String
    /// A new GUID at every write, as ASP.NET does.
    public var concurrencyStamp: String
    /// E.164 when set.
    public var phoneNumber: String?
    public var phoneNumberConfirmed: Bool
    public var twoFactorEnabled: Bool
    /// Sign-in is refused before this time.
    public var lockoutEnd: Date?
    public var lockoutEnabled: Bool
    public var accessFailedCount: Int
    public var firstName: String
    public var lastName: String?

    public init(
        id: String,
        userName: String,
        normalizedUserName: String,
        email: String,
        normalizedEmail: String,
        emailConfirmed: Bool = false,
        passwordHash: String,
        securityStamp: String,
        concurrencyStamp: String,
        phoneNumber: String? = nil,
        phoneNumberConfirmed: Bool = false,
        twoFactorEnabled: Bool = false,
        lockoutEnd: Date? = nil,
        lockoutEnabled: Bool = true,
        accessFailedCount: Int = 0,
        firstName: String,
        lastName: String? = nil
    ) {
        self.id = id
        self.userName = userName
        self.normalizedUserName = normalizedUserName
        self.email = email
        self.normalizedEmail = normalizedEmail
        self.emailConfirmed = emailConfirmed
        self.passwordHash = passwordHash
        self.securityStamp = securityStamp
        self.concurrencyStamp = concurrencyStamp
        self.phoneNumber = phoneNumber
        self.phoneNumberConfirmed = phoneNumberConfirmed
        self.twoFactorEnabled = twoFactorEnabled
        self.lockoutEnd = lockoutEnd
        self.lockoutEnabled = lockoutEnabled
        self.accessFailedCount = accessFailedCount
        self.firstName = firstName
        self.lastName = lastName
    }
}
