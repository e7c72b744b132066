/// `countersign [COMMAND] [--config FILE] [ARGUMENT…]`.
struct CommandLineOptions {
    enum Command: String {
        case serve, migrate
        case checkConfig = "check-config"
        case sendTestSms = "send-test-sms"
        case events, number
        case status, user
        case storage
        case help
    }

    var command: Command?
    var configPath: String?
    var arguments: [String] = []
    /// Options that take a value: `--since 1h`, `--user EMAIL`, `--until 30d`, `--from-sqlite PATH`.
    var values: [String: String] = [:]
    static let valueOptions: Set<String> = ["--since", "--user", "--until", "--from-sqlite"]
    /// `status --json`.
    var json = false

    struct UsageError: Error { let message: String }

    static func parse(_ arguments: [String]) throws(UsageError) -> CommandLineOptions {
        var options = CommandLineOptions()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--config" || argument == "-c" {
                guard let value = remaining.popFirst(), !value.isEmpty else { throw UsageError(message: "--config needs a file") }
                options.configPath = value
            } else if argument.hasPrefix("--config=") {
                options.configPath = String(argument.dropFirst(9))
            } else if Self.valueOptions.contains(argument) {
                guard let value = remaining.popFirst(), !value.isEmpty else { throw UsageError(message: "\(argument) needs a value") }
                guard options.values.updateValue(value, forKey: argument) == nil else { throw UsageError(message: "\(argument) given twice") }
            } else if argument == "--json" {
                options.json = true
            } else if argument == "--help" || argument == "-h" {
                options.command = .help
            } else if argument.hasPrefix("-") && argument.count > 1 && !argument.hasPrefix("+") {
                throw UsageError(message: "unknown option \(argument)")
            } else if options.command == nil && options.arguments.isEmpty {
                guard let command = Command(rawValue: argument) else { throw UsageError(message: "unknown command \(argument)") }
                options.command = command
            } else {
                options.arguments.append(argument)
            }
        }
        return options
    }

    /// `--config`, else `COUNTERSIGN_CONFIG`, else the system location.
    func resolvedConfigPath(environment: [String: String]) -> String {
        configPath ?? environment["COUNTERSIGN_CONFIG"] ?? "/etc/countersign/countersign.conf"
    }

    static let usage = """
    usage: countersign [COMMAND] [--config FILE]

    commands:
      serve                 bind server.listen and run server.workers worker processes (the default);
                            with a listening socket already on fd 0 (spawn-fcgi, mod_fcgid) serve as
                            one worker; as plain CGI answer the one request in the environment
      migrate               create or upgrade the database schema
      check-config          validate the config and every chosen provider without sending anything
      send-test-sms NUMBER  send one test message through the configured SMS provider
      events [--since 1h] [--user EMAIL]
                            the security events as JSON Lines, oldest first
      number block +E164 [--until 30d] | number unblock +E164 | number list
                            the operator's block list: no SMS is ever sent to a blocked number
      status [--json]       the running pool of this config: supervisor, workers, requests, restarts
                            (exit 1 when none runs)
      user show|unlock|sign-out|delete EMAIL
                            for operators: show a user, clear a lockout, end every sign-in, delete
                            (exit 1 when there is no such user)
      storage copy --from-sqlite PATH
                            copy a SQLite database (users, sign-ins, codes, events, blocks)
                            into the empty PostgreSQL database of the config, in one transaction

    The config file is --config FILE, else $COUNTERSIGN_CONFIG, else /etc/countersign/countersign.conf.
    Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad config.
    """
}
