/// "Did you mean" for misspelt names: module names, task and play keys, connection keys.
public enum Spelling {
    /// The candidate nearest to `word`, when it is at most `limit` edits away (an exact match
    /// is not a suggestion). Ties go to the candidate that comes first.
    public static func closest<S: Sequence>(to word: String, in candidates: S, within limit: Int) -> String?
        where S.Element == String
    {
        var best: (name: String, distance: Int)?
        for c in candidates {
            let d = distance(word, c)
            if d > 0, d <= limit, d < (best?.distance ?? Int.max) { best = (c, d) }
        }
        return best?.name
    }

    /// The default reach of a suggestion: about one edit in three letters, at least one.
    public static func defaultLimit(for word: String) -> Int { max(1, word.count / 3) }

    /// Levenshtein distance with adjacent transpositions counted as one edit (`adress`/`address`
    /// is 1, `hsots`/`hosts` is 1).
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
