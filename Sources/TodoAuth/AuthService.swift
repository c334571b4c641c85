public import TodoCore
public import TodoStore
import JWTKit
import Crypto
import FoundationEssentials

// MARK: - Claims

/// The JWT payload todod issues and accepts: `sub` (the user id) and `exp` (required).
struct TodoClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

// MARK: - AuthService

/// Authentication for the HTTP face: HS256 bearer tokens, one-time login codes and browser sessions.
///
/// Tokens carry `sub` (the `UserID`) and a required `exp`. Any algorithm other than HS256, a bad signature,
/// an expired token or a missing/invalid `sub` is rejected with `AuthError.unauthorized`.
/// Login codes are single use and valid for 60 s. Browser sessions last `sessionTTL` and live in a
/// `SessionRepository` (`FileSessionRepository` over `sessions.json` in the data directory, or the sessions
/// table of a PostgreSQL store shared by every instance): it holds only each cookie's HMAC-SHA256 under a key
/// derived from the secret, and sign-in and sign-out are durable before they are answered. Every cookie
/// lookup asks the repository, so a sign-out on one instance holds on every other.
public actor AuthService {
    /// How long a one-time login code is valid, in seconds.
    public static let loginCodeTTL: Int64 = 60
    /// How long a browser session lasts, in seconds.
    public static let sessionTTL: Int64 = 7 * 24 * 3600

    private let keys = JWTKeyCollection()
    private let secret: [UInt8]
    private var keysAdded = false
    private let clock: any WallClock
    private var codes: [String: (user: UserID, expires: Timestamp)] = [:]
    /// The HMAC key for session digests, derived from `secret` (never the JWT key itself).
    private let sessionKey: SymmetricKey
    private let sessions: any SessionRepository
    /// Tokens already verified, with their `exp` (seconds): skips the HMAC and JSON work on repeat requests.
    private var verified: [String: (user: UserID, expires: Double)] = [:]

    /// Builds the service from raw key bytes (at least 32 bytes).
    /// - Parameters:
    ///   - secret: the HMAC key.
    ///   - clock: the time source for codes, sessions and `exp`.
    ///   - sessions: where browser sessions are kept; by default in memory only (they end with the process).
    /// - Throws: `AuthError.weakSecret`.
    public init(secret: [UInt8], clock: any WallClock, sessions: (any SessionRepository)? = nil) throws {
        guard secret.count >= 32 else { throw AuthError.weakSecret }
        self.secret = secret
        self.clock = clock
        self.sessionKey = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array("todod browser sessions v1".utf8), using: SymmetricKey(data: secret)))
        self.sessions = try sessions ?? FileSessionRepository(file: nil, clock: clock)
    }

    /// Loads the secret: `environmentSecret` (`BETTER_AUTH_SECRET`) when set, else the 0600 file
    /// `auth-secret` in `dataDirectory`, created with 32 random bytes on first start. Browser sessions are
    /// kept in `sessions.json` (0600) in `dataDirectory` on `storage`.
    /// - Parameters:
    ///   - dataDirectory: the daemon's data directory (must exist).
    ///   - environmentSecret: `BETTER_AUTH_SECRET`, if set and non-empty.
    ///   - clock: the time source.
    ///   - storage: the disk under the data directory.
    public static func load(dataDirectory: String, environmentSecret: String?, clock: any WallClock, storage: any StorageBackend = POSIXStorage()) throws -> AuthService {
        let sessions = try FileSessionRepository(file: SessionFile(directory: dataDirectory, backend: storage), clock: clock)
        return try AuthService(secret: try secret(dataDirectory: dataDirectory, environmentSecret: environmentSecret), clock: clock, sessions: sessions)
    }

    /// The key bytes: `environmentSecret` (`BETTER_AUTH_SECRET`) when set and non-empty, else the 0600 file
    /// `auth-secret` in `dataDirectory`, created with 32 random bytes on first start.
    /// - Parameters:
    ///   - dataDirectory: the daemon's data directory (must exist when the file is needed).
    ///   - environmentSecret: `BETTER_AUTH_SECRET`, if set.
    /// - Throws: `AuthError.secretFile` when the file cannot be read or created.
    public static func secret(dataDirectory: String, environmentSecret: String?) throws -> [UInt8] {
        if let env = environmentSecret, !env.isEmpty { return Array(env.utf8) }
        return try SecretFile.loadOrCreate(in: dataDirectory)
    }

    /// The data directory's `auth-secret` file as key bytes, or nil when it does not exist (nothing is created).
    /// PostgreSQL mode offers it as the candidate shared secret, so tokens signed before the move stay valid.
    /// - Parameter dataDirectory: the daemon's data directory (need not exist).
    /// - Throws: `AuthError.secretFile` when the file exists but cannot be read or is too short.
    public static func existingSecret(dataDirectory: String) throws -> [UInt8]? {
        try SecretFile.loadIfPresent(in: dataDirectory)
    }

    private func ensureKeys() async {
        guard !keysAdded else { return }
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        keysAdded = true
    }

    // MARK: Tokens

    /// Signs a bearer token for `user`.
    /// - Parameters:
    ///   - user: the subject.
    ///   - ttlSeconds: lifetime; `exp` = now + ttl.
    /// - Returns: the compact JWT.
    public func issueToken(for user: UserID, ttlSeconds: Int) async throws -> String {
        await ensureKeys()
        let expires = clock.now().secondsSinceEpoch + Double(max(1, ttlSeconds))
        let claims = TodoClaims(sub: SubjectClaim(value: user.rawValue), exp: ExpirationClaim(value: Date(timeIntervalSince1970: expires)))
        return try await keys.sign(claims)
    }

    /// Verifies a bearer token and returns its user.
    /// - Parameter token: the compact JWT from `Authorization: Bearer`.
    /// - Throws: `AuthError.unauthorized` with the reason.
    public func verifyToken(_ token: String) async throws -> UserID {
        if let hit = verified[token] {
            if hit.expires > clock.now().secondsSinceEpoch { return hit.user }
            verified.removeValue(forKey: token)
            throw AuthError.unauthorized("token expired")
        }
        guard let alg = JWTHeaderPeek.algorithm(of: token) else { throw AuthError.unauthorized("malformed token") }
        guard alg == "HS256" else { throw AuthError.unauthorized("unsupported token algorithm") }
        await ensureKeys()
        let claims: TodoClaims
        do {
            claims = try await keys.verify(token, as: TodoClaims.self)
        } catch let error as JWTError {
            if case .claimVerificationFailure = error.errorType { throw AuthError.unauthorized("token expired") }
            if case .signatureVerificationFailed = error.errorType { throw AuthError.unauthorized("bad token signature") }
            throw AuthError.unauthorized("invalid token")
        } catch {
            throw AuthError.unauthorized("invalid token")
        }
        // jwt-kit checks exp against the system clock; check against ours too (tests use a manual clock).
        guard claims.exp.value.timeIntervalSince1970 > clock.now().secondsSinceEpoch else {
            throw AuthError.unauthorized("token expired")
        }
        guard let user = try? UserID(claims.sub.value) else { throw AuthError.unauthorized("token subject is not a valid user id") }
        if verified.count >= 1024 { verified.removeAll(keepingCapacity: true) }
        verified[token] = (user, claims.exp.value.timeIntervalSince1970)
        return user
    }

    // MARK: Login codes and sessions

    /// A fresh single-use code for `todoctl open`, valid for 60 s.
    /// - Parameter user: who signs in with it.
    public func makeLoginCode(for user: UserID) -> String {
        purge()
        let code = Self.randomToken()
        codes[Self.digest(code)] = (user, Timestamp(millisecondsSinceEpoch: clock.now().millisecondsSinceEpoch + Self.loginCodeTTL * 1000))
        return code
    }

    /// Redeems a login code (once) for a new session, saved durably before it is returned.
    /// - Parameter code: the code from the `/login#<code>` URL.
    /// - Returns: the session id (for the cookie), its user and its lifetime in seconds.
    /// - Throws: `AuthError.invalidCode` when unknown, used or expired; the repository's error when the
    ///   session could not be saved (`AuthError.sessionFile`, `TodoError.unavailable`; it is then not valid).
    public func redeemLoginCode(_ code: String) async throws -> (sessionID: String, user: UserID, maxAge: Int64) {
        purge()
        guard let entry = codes.removeValue(forKey: Self.digest(code)) else { throw AuthError.invalidCode }
        guard entry.expires > clock.now() else { throw AuthError.invalidCode }
        let session = Self.randomToken()
        let expires = clock.now().millisecondsSinceEpoch + Self.sessionTTL * 1000
        try await sessions.saveSession(StoredSession(digest: sessionDigest(session), user: entry.user.rawValue, expiresMs: expires))
        return (session, entry.user, Self.sessionTTL)
    }

    /// The user of a live session, or nil (unknown, signed out or expired).
    /// - Parameter sessionID: the cookie value.
    /// - Throws: `TodoError.unavailable` when the session repository cannot answer (HTTP 503, not 401: the
    ///   browser is not signed out, the store is away for the moment).
    public func user(forSession sessionID: String) async throws -> UserID? {
        let stored: StoredSession?
        do {
            stored = try await sessions.session(digest: sessionDigest(sessionID), nowMs: clock.now().millisecondsSinceEpoch)
        } catch let error as TodoError {
            throw error.code == .unavailable ? error : TodoError.unavailable("cannot look the session up: \(error.message)")
        } catch {
            throw TodoError.unavailable("cannot look the session up: \(error)")
        }
        guard let stored else { return nil }
        return try? UserID(stored.user)
    }

    /// Ends a session (sign-out), durably. Unknown ids are ignored.
    /// - Parameter sessionID: the cookie value.
    /// - Throws: the repository's error when the revocation could not be saved.
    public func endSession(_ sessionID: String) async throws {
        try await sessions.deleteSession(digest: sessionDigest(sessionID))
    }

    /// The keyed digest a session is stored under: HMAC-SHA256 of the cookie value with `sessionKey`.
    private func sessionDigest(_ sessionID: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Array(sessionID.utf8), using: sessionKey).map { hexByte($0) }.joined()
    }

    private func purge() {
        let now = clock.now()
        codes = codes.filter { $0.value.expires > now }
    }

    /// A sign-in code or session cookie value: TodoCore's one id generator, 52 characters of a 33-letter
    /// alphabet (about 262 bits) from the system's cryptographic random source.
    private static func randomToken() -> String {
        var rng = SystemRandomNumberGenerator()
        return TodoCore.randomToken(length: 52, using: &rng)
    }

    /// Codes are stored by SHA-256 (sessions by a keyed digest), so lookups never compare secrets byte by byte.
    private static func digest(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { hexByte($0) }.joined()
    }
}

// MARK: - Test support

extension AuthService {
    /// Signs an arbitrary JSON payload with HS256 and this service's key (tests forge claims with it,
    /// for example a token without `sub`).
    /// - Parameter payloadJSON: the claims as JSON text.
    public func signRawPayloadForTesting(_ payloadJSON: String) -> String {
        func b64(_ bytes: [UInt8]) -> String {
            let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
            var out: [UInt8] = []
            var i = 0
            while i < bytes.count {
                let n = min(3, bytes.count - i)
                var v = UInt32(bytes[i]) << 16
                if n > 1 { v |= UInt32(bytes[i + 1]) << 8 }
                if n > 2 { v |= UInt32(bytes[i + 2]) }
                for k in 0...n { out.append(table[Int((v >> UInt32(18 - 6 * k)) & 0x3F)]) }
                i += 3
            }
            return String(decoding: out, as: UTF8.self)
        }
        let input = b64(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + b64(Array(payloadJSON.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: secret))
        return input + "." + b64(Array(mac))
    }
}
