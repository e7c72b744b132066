import Testing
@testable import Web

@Suite struct TooManyRequestsTests {
    @Test(arguments: [
        (1, "in 1 second"), (2, "in 2 seconds"), (45, "in 45 seconds"), (89, "in 89 seconds"),
        (90, "in 2 minutes"), (120, "in 2 minutes"), (121, "in 3 minutes"), (3600, "in 60 minutes"),
        (89 * 60, "in 89 minutes"), (89 * 60 + 1, "in 2 hours"), (5 * 3600, "in 5 hours"), (86_400, "in 24 hours"),
    ])
    func describe(_ seconds: Int, _ text: String) {
        #expect(HTTPError.describeWait(seconds: seconds) == text)
    }

    @Test(arguments: [(0.2, "1"), (0, "1"), (-5, "1"), (59.01, "60"), (3600, "3600")])
    func retryAfterIsWholeSecondsRoundedUpAndAtLeastOne(_ wait: Double, _ header: String) {
        let error = HTTPError.tooManyRequests(retryAfter: wait, what: "Too many.")
        #expect(error.status == 429)
        #expect(error.headers.first { $0.name == "Retry-After" }?.value == header)
        #expect(error.message.hasPrefix("Too many. Please try again in "))
    }
}
