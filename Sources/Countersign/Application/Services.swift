import Config
import Crypto
import FoundationEssentials
import Messaging
import Phone
import Storage
import Timekeeping
import Transport
import Web

/// Everything a worker builds once at start-up and hands to every request: settings, storage,
/// providers, templates, keys. No globals: tests build their own with a manual clock.
final class Services {
    let settings: AppSettings
    let clock: WallClock
    let random: RandomSource
    let storage: any StorageBackend
    /// The pool's counters (`/Metrics`); security events written through `storage` count there.
    let metrics: PoolMetrics
    let passwordHasher: PasswordHasher
    let passwordPolicy: PasswordPolicy
    let email: EmailSender
    let templates: TemplateEngine
    let pages: PageRenderer
    let flash: Flash
    let antiforgery: Antiforgery
    let sessions: SignInSessions
    let confirmationLinks: EmailConfirmationLinks
    /// `/ResetPassword` links: bound to the security stamp, valid `passwords.reset_lifetime`.
    let resetLinks: EmailConfirmationLinks
    /// Seals the two-factor cookies (half-signed-in state, remembered browser).
    let cookieCodec: SignedCookieCodec
    let sms: SmsSender
    let phoneSettings: PhoneVerificationSettings
    let phoneVerifier: PhoneVerifier
    let log: Log

    /// A hash of nothing in particular, verified against when an address is unknown so that
    /// sign-in takes as long for unknown addresses as for known ones. Made once per worker.
    private(set) lazy var dummyPasswordHash: String = (try? passwordHasher.hash("countersign timing equaliser")) ?? ""

    /// Whether this process has seen the schema up to date. A worker that started while the
    /// database was down migrates at its first request once the database answers.
    private var schemaIsUpToDate = false

    /// Brings the schema up to date once per process (a no-op after the first success).
    /// Throws `StorageError.unavailable` while the database does not answer.
    func bringSchemaUpToDate() throws {
        guard !schemaIsUpToDate else { return }
        let applied = try storage.migrate()
        if !applied.isEmpty { log.info("applied migrations \(applied.joined(separator: ", "))") }
        schemaIsUpToDate = true
    }

    /// At start-up: the schema now if the database answers, else later (logged, not fatal, so
    /// a pool starts while its database is down and recovers when it returns).
    func bringSchemaUpToDateIfReachable() throws {
        do {
            try bringSchemaUpToDate()
        } catch where StorageOutage.isOutage(error) {
            log.error("storage unavailable at start-up, will retry at the next request: \(error)")
        }
    }

    /// Reads the whole config: every problem is collected in `config`, and `finish` throws them
    /// all at once. Opening storage and templates happens only when the config is sound.
    static func load(config: Config, shippedTemplates: String, clock: WallClock = SystemClock(), random: RandomSource = SecureRandom(),
                     status: PoolStatusFile = .anonymous(), log: Log = Log()) throws -> Services {
        let settings = AppSettings(config: config, shippedTemplates: shippedTemplates)
        let email = EmailProviders.make(config: config, clock: clock)
        let phone = PhoneProviders(config: config, settings: settings, clock: clock, random: random)
        let openStorage = StorageProviders.make(config: config)
        try config.finish(knownKeys: ConfigKeys.all)
        // The registries have recorded a problem whenever they return nil, so `finish` threw.
        guard let email, let sms = phone.sms, let issuer = phone.issuer else {
            throw ConfigErrors(problems: [ConfigProblem(file: config.file, line: nil, message: "a provider could not be set up")])
        }
        let templates: TemplateEngine
        do {
            templates = try PageRenderer.loadTemplates(directory: settings.templatesDirectory)
        } catch {
            throw ConfigErrors(problems: [ConfigProblem(file: error.file, line: error.line, message: error.message)])
        }
        let storage = try openStorage(clock, random)
        return Services(settings: settings, clock: clock, random: random, storage: storage, email: email, templates: templates,
                        sms: sms, phoneSettings: phone.settings, issuer: issuer, status: status, log: log)
    }

    init(settings: AppSettings, clock: WallClock, random: RandomSource, storage: any StorageBackend, email: EmailSender, templates: TemplateEngine,
         sms: SmsSender, phoneSettings: PhoneVerificationSettings, issuer: CodeIssuer, status: PoolStatusFile = .anonymous(),
         log: Log = Log()) {
        self.log = log
        self.settings = settings
        self.clock = clock
        self.random = random
        metrics = PoolMetrics(file: status)
        let storage = MeteredStorage(storage, metrics: metrics, parser: settings.phone.parser)
        self.storage = storage
        self.email = email
        self.templates = templates
        passwordHasher = PasswordHasher(settings: settings.passwords.hashing, random: random)
        passwordPolicy = PasswordPolicy(minLength: settings.passwords.minLength)
        pages = PageRenderer(templates: templates)
        let codec = SignedCookieCodec(secret: settings.cookies.secret, previousSecrets: settings.cookies.previousSecrets, clock: clock)
        flash = Flash(codec: codec, secure: settings.cookies.secure)
        antiforgery = Antiforgery(codec: codec, random: random, secure: settings.cookies.secure)
        sessions = SignInSessions(store: storage.sessions, users: storage.users, random: random, settings: settings.session, cookies: settings.cookies,
                                  codec: codec, log: log)
        confirmationLinks = EmailConfirmationLinks(cookies: settings.cookies, lifetime: settings.email.confirmLifetime)
        resetLinks = EmailConfirmationLinks(cookies: settings.cookies, lifetime: settings.passwordReset.lifetime, purpose: "reset-password")
        cookieCodec = codec
        self.sms = sms
        self.phoneSettings = phoneSettings
        phoneVerifier = PhoneVerifier(
            settings: phoneSettings, issuer: issuer, store: storage.verifications,
            storage: storage, sms: sms, parser: settings.phone.parser, clock: clock, random: random
        )
    }
}
