import Foundation

/// Results gathered from concurrent work.
final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Result<String, Error>] = []
    func append(_ value: Result<String, Error>) { lock.lock(); storage.append(value); lock.unlock() }
    var values: [Result<String, Error>] { lock.lock(); defer { lock.unlock() }; return storage }
}
