/// A shortest line edit script between two texts (Myers' O(ND) algorithm).
///
/// Common leading and trailing lines are trimmed first, so the usual config edit (a few lines
/// changed in a long file) costs little; a pathological pair of unrelated large texts falls
/// back to "delete everything, insert everything" instead of using quadratic memory.
enum LineDiff {
    enum Op: Equatable {
        /// Line `a` of the old text equals line `b` of the new one.
        case equal(Int, Int)
        /// Line of the old text removed.
        case delete(Int)
        /// Line of the new text inserted.
        case insert(Int)
    }

    /// Above this many differences the script is not minimised (memory grows as D²).
    static let maxEditDistance = 1000

    static func ops(_ a: [String], _ b: [String]) -> [Op] {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix,
              a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }

        var out: [Op] = (0..<prefix).map { .equal($0, $0) }
        let midA = Array(a[prefix..<(a.count - suffix)])
        let midB = Array(b[prefix..<(b.count - suffix)])
        for op in middle(midA, midB) {
            switch op {
            case .equal(let i, let j): out.append(.equal(i + prefix, j + prefix))
            case .delete(let i): out.append(.delete(i + prefix))
            case .insert(let j): out.append(.insert(j + prefix))
            }
        }
        for k in 0..<suffix { out.append(.equal(a.count - suffix + k, b.count - suffix + k)) }
        return out
    }

    private static func middle(_ a: [String], _ b: [String]) -> [Op] {
        let n = a.count, m = b.count
        if n == 0 { return (0..<m).map { .insert($0) } }
        if m == 0 { return (0..<n).map { .delete($0) } }
        let maxD = min(n + m, maxEditDistance)
        let offset = maxD + 1
        var v = [Int](repeating: 0, count: 2 * maxD + 3)
        var trace: [[Int]] = []
        var found = false
        outer: for d in 0...maxD {
            trace.append(v)
            var k = -d
            while k <= d {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n, y >= m { found = true; break outer }
                k += 2
            }
        }
        guard found else {
            return (0..<n).map { Op.delete($0) } + (0..<m).map { Op.insert($0) }
        }
        // Walk the trace back from (n, m) to (0, 0).
        var ops: [Op] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let vd = trace[d]
            let k = x - y
            let prevK: Int
            if k == -d || (k != d && vd[offset + k - 1] < vd[offset + k + 1]) {
                prevK = k + 1
            } else {
                prevK = k - 1
            }
            let prevX = vd[offset + prevK]
            let prevY = prevX - prevK
            while x > prevX, y > prevY {
                x -= 1; y -= 1
                ops.append(.equal(x, y))
            }
            if d > 0 {
                if x == prevX { y -= 1; ops.append(.insert(y)) } else { x -= 1; ops.append(.delete(x)) }
            }
        }
        while x > 0, y > 0 { x -= 1; y -= 1; ops.append(.equal(x, y)) }
        return ops.reversed()
    }
}
