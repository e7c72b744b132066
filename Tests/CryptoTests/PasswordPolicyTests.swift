import Testing
@testable import Crypto

/// Serialized although the library locks around cracklib: the lock is what
/// `checksFromManyThreadsAgree` tests, and the other tests should not depend on it.
@Suite(.serialized) struct PasswordPolicyTests {
    let policy = PasswordPolicy()

    @Test func dictionaryIsAvailableOnThisMachine() {
        #expect(policy.dictionaryUnavailableReason == nil)
    }

    @Test(arguments: [
        "password123", "Password1", "qwertyuiop", "Tr0ub4dor",
        "abcdefgh", "aaaaaaaaaaaa", "12344321",  // sequential, repetitive, palindrome
        "river stone river stone river stone river stone river stone moss",
    ])
    func commonPasswordsAreRefused(_ password: String) throws {
        let problem = try #require(policy.problem(with: password, userInputs: []))
        #expect(problem.hasPrefix("Choose a different password: it "))
        #expect(problem.hasSuffix("."))
    }

    @Test func dictionaryWordMessageIsForPeople() {
        #expect(policy.problem(with: "password123", userInputs: [])
            == "Choose a different password: it is based on a dictionary word.")
    }

    @Test(arguments: [
        "correct horse battery staple",
        "Quorvath77x",
        "my cat eats green tomatoes at noon",
        "seven purple elephants quietly debated philosophy over breakfast",  // 64 characters
        "日本語のパスワードはとても長いです",
    ])
    func passphrasesAndUncommonPasswordsAreAccepted(_ password: String) {
        #expect(policy.problem(with: password, userInputs: ["Ann", "Lee", "ann.lee@example.com"]) == nil)
    }

    @Test func lengthCountsUnicodeCodePointsNotBytes() {
        let policy = PasswordPolicy(minLength: 10)
        let nine = "日本語のパスワード"  // 9 code points, 27 UTF-8 bytes
        #expect(policy.problem(with: nine, userInputs: []) == "Choose a longer password: use at least 10 characters.")
        #expect(policy.problem(with: nine + "だ", userInputs: []) == nil)
    }

    @Test(arguments: ["", "a", "short", "seven77"])
    func shortPasswordsAreRefused(_ password: String) {
        #expect(policy.problem(with: password, userInputs: []) == "Choose a longer password: use at least 8 characters.")
    }

    @Test func maximumIsNeverBelow64() {
        let policy = PasswordPolicy(minLength: 8, maxLength: 20)
        #expect(policy.maxLength == 64)
        let sixtyFour = "seven purple elephants quietly debated philosophy over breakfast"
        #expect(sixtyFour.count == 64)
        #expect(policy.problem(with: sixtyFour, userInputs: []) == nil)
        #expect(policy.problem(with: sixtyFour + "y", userInputs: []) == "Choose a shorter password: use at most 64 characters.")
    }

    @Test func defaultMaximumIs1024() {
        let long = String(repeating: "x7Kq9wLp", count: 128)
        #expect(policy.problem(with: long, userInputs: []) == nil)
        #expect(policy.problem(with: long + "z", userInputs: []) == "Choose a shorter password: use at most 1024 characters.")
    }

    @Test func minimumIsAtLeastOneAndNeverAboveTheMaximum() {
        #expect(PasswordPolicy(minLength: 0).minLength == 1)
        #expect(PasswordPolicy(minLength: 100, maxLength: 64).maxLength == 100)
    }

    @Test(arguments: [
        ("Quorvath77x", ["Nadia", "Quorvath", "nadia@example.com"]),
        ("Quorvath77x", ["", "Nadia Quorvath"]),
        ("zz-nadia.quorvath@example.com-zz", ["nadia.quorvath@example.com"]),
        ("xx77htavrouq", ["Quorvath"]),  // reversed
        ("QUORVATH77x", ["quorvath"]),
    ])
    func passwordsContainingTheUsersOwnDetailsAreRefused(password: String, userInputs: [String]) {
        #expect(policy.problem(with: password, userInputs: userInputs)
            == "Choose a different password: it contains your name or email address.")
    }

    @Test func userInputWordsAreSplitAndDeduplicated() {
        #expect(PasswordPolicy.words(of: ["ann.lee@example.com", " Ann ", "", "ANN.LEE@EXAMPLE.COM"])
            == ["ann.lee@example.com", "ann", "lee", "example", "com"])
    }

    @Test func withoutADictionaryOnlyTheOtherRulesApply() {
        let policy = PasswordPolicy(minLength: 8, maxLength: 1024, dictionaryPath: "/nonexistent/cracklib_dict")
        #expect(policy.dictionaryUnavailableReason?.contains("dictionary") == true)
        #expect(policy.problem(with: "password123", userInputs: []) == nil)
        #expect(policy.problem(with: "short", userInputs: []) == "Choose a longer password: use at least 8 characters.")
        #expect(policy.problem(with: "Quorvath77x", userInputs: ["Quorvath"])
            == "Choose a different password: it contains your name or email address.")
        #expect(policy.problem(with: "step on no pets", userInputs: [])
            == "Choose a different password: it reads the same backwards.")
    }

    @Test func reasonIsTakenFromLibpwqualityMessage() {
        #expect(PasswordPolicy.reason(fromDictionaryMessage: "The password fails the dictionary check - it is too simplistic/systematic")
            == "it is too simplistic/systematic")
        #expect(PasswordPolicy.reason(fromDictionaryMessage: "something else") == "it is too easy to guess")
    }

    @Test func palindromesAreRefused() {
        #expect(policy.problem(with: "step on no pets", userInputs: [])
            == "Choose a different password: it reads the same backwards.")
    }

    /// cracklib keeps its open dictionary in process-wide state; without the lock, parallel checks
    /// fail with "error loading dictionary" or crash.
    @Test func checksFromManyThreadsAgree() async {
        let results = await withTaskGroup(of: [String?].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let policy = PasswordPolicy()
                    return (0..<24).map { i in
                        policy.problem(with: i % 2 == 0 ? "password123" : "seven purple elephants", userInputs: [])
                    }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(results.count == 192)
        #expect(results.filter { $0 == "Choose a different password: it is based on a dictionary word." }.count == 96)
        #expect(results.filter { $0 == nil }.count == 96)
    }
}
