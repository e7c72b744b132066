/// ASP.NET Core Identity's security stamp: 20 random bytes as 32 upper-case Base32 characters.
/// A user's stamp changes when their credentials change, which invalidates links and sign-ins
/// bound to the old one.
public enum SecurityStamp {
    public static func generate(random: any RandomSource) -> String {
        Base32.encode(random.bytes(20))
    }
}
