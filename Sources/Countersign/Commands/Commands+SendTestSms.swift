/// `countersign send-test-sms NUMBER`: one message through the configured SMS provider.
extension Commands {
    static func sendTestSms(configPath: String, environment: [String: String], number: String) throws -> Int32 {
        let services = try loadServices(configPath: configPath, environment: environment)
        try services.storage.migrate()
        return try PhoneCommands.sendTestMessage(services: services, number: number)
    }
}
