import Config

/// Phone-verification wiring (issue 3): provider checks and the test SMS.
enum PhoneServices {
    static func check(config: Config, settings: AppSettings) {}

    static func sendTestMessage(services: Services, number: String) throws -> Int32 {
        CountersignCommand.printError("countersign: send-test-sms is not available yet")
        return 1
    }
}
