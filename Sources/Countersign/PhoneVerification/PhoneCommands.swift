import Config
import Crypto
import Phone
import Timekeeping

/// The phone parts of two commands: `check-config` (phone keys and providers) and `send-test-sms`.
enum PhoneCommands {
    /// Validates every phone key and provider, and warns when a code message needs more than one
    /// SMS segment (each segment is billed as a message).
    static func check(config: Config, settings: AppSettings) {
        let providers = PhoneProviders(config: config, settings: settings, clock: SystemClock(), random: SecureRandom())
        providers.settings.warnAboutMessageLength(config: config)
    }

    static func sendTestMessage(services: Services, number: String) throws -> Int32 {
        let parsed: PhoneNumber
        do {
            parsed = try services.settings.phone.parser.parse(number)
        } catch {
            CountersignCommand.printError("countersign: \(number): \(error.message)")
            return 2
        }
        do {
            let receipt = try services.phoneVerifier.sendTestMessage(to: parsed)
            print("countersign: test message sent to \(parsed.masked) through \(receipt.provider)\(receipt.messageId.map { " (id \($0))" } ?? "")")
            return 0
        } catch {
            CountersignCommand.printError("countersign: test message not sent: \(error.userMessage) [\(error)]")
            return 1
        }
    }
}
