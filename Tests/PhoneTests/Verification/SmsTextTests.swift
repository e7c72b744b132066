import Config
import Messaging
@testable import Phone
import Testing

@Suite struct SmsTextTests {
    @Test func defaultTemplateWithTheWebOtpLine() {
        let text = SmsText.render(template: SmsText.defaultTemplate, app: "Countersign", code: "012345", lifetime: 600,
                                  host: "example.com", webOtp: true)
        #expect(text == "Your Countersign code is 012345. Valid for 10 min.\n\n@example.com #012345")
    }

    @Test func withoutWebOtpNothingIsAppended() {
        let text = SmsText.render(template: SmsText.defaultTemplate, app: "Shop", code: "999999", lifetime: 600,
                                  host: "example.com", webOtp: false)
        #expect(text == "Your Shop code is 999999. Valid for 10 min.")
    }

    @Test(arguments: [(1.0, 1), (59, 1), (60, 1), (61, 2), (90, 2), (600, 10), (601, 11), (0, 1)])
    func minutesAreRoundedUpAndAtLeastOne(lifetime: Double, minutes: Int) {
        #expect(SmsText.minutes(for: lifetime) == minutes)
    }

    @Test func everyPlaceholderIsFilledInOnePass() {
        let text = SmsText.render(template: "{app}|{code}|{minutes}|{host}|{ not a placeholder }|{}", app: "{code}",
                                  code: "123456", lifetime: 90, host: "example.org", webOtp: false)
        #expect(text == "{code}|123456|2|example.org|{ not a placeholder }|{}")
    }

    @Test(arguments: [
        ("Code {code} for {ap}", ["unknown placeholder {ap}"]),
        ("Your code: {Code}", ["unknown placeholder {Code}", "must contain {code}"]),
        ("Welcome to {app}", ["must contain {code}"]),
        ("{code} {otp} {otp}", ["unknown placeholder {otp}"]),
    ])
    func badTemplatesAreConfigErrors(template: String, expected: [String]) {
        let problems = SmsText.problems(in: template)
        #expect(problems.count == expected.count)
        for (problem, start) in zip(problems, expected) {
            #expect(problem.hasPrefix(start), "\(problem)")
        }
    }

    @Test func goodTemplatesHaveNoProblems() {
        #expect(SmsText.problems(in: SmsText.defaultTemplate).isEmpty)
        #expect(SmsText.problems(in: "{code} is your {app} code ({minutes} min) for {host}, {not one} {}").isEmpty)
    }
}
