/// Two-factor recovery codes, stored only as keyed hashes (the caller hashes; the store never
/// sees a code). Every method is atomic across worker processes.
public protocol RecoveryCodeStore: AnyObject {
    /// Replaces the user's whole set at once: the old codes stop working in the same commit.
    func replaceAll(userId: String, hashes: [String]) throws

    /// Spends one code: deletes the row and returns true, or false when the user has no such
    /// unused code. One DELETE decides, so of parallel requests with one code exactly one wins.
    func redeem(userId: String, hash: String) throws -> Bool

    /// Unused codes left.
    func count(userId: String) throws -> Int

    func deleteAll(userId: String) throws
}
