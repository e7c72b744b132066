/// What a one-time code is for. Pending codes of different purposes live side by side (a
/// sign-in code does not replace a phone-verification code) and are never interchangeable: the
/// purpose is part of the stored row's key, of the `stored` provider's keyed hash and of the
/// `totp` provider's modifier.
public enum VerificationPurpose: String, Sendable, CaseIterable {
    /// Proving a (new) phone number: the right code confirms the number.
    case phoneNumber = "phone"
    /// The second step of a two-factor sign-in, sent to the verified number.
    case signIn = "sign-in"
    /// Resetting a forgotten password, sent to the verified number.
    case passwordReset = "password-reset"
}
