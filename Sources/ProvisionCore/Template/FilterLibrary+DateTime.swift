extension FilterLibrary {
    /// `to_datetime(format='%Y-%m-%d %H:%M:%S')`: Python's `datetime.strptime` of the text.
    static let dateTimeFilters: [String: Filter] = [
        "to_datetime": { call in
            let input = try call.value()
            guard case .string(let text) = input else {
                throw call.fail("strptime() argument 1 must be str, not \(input.typeName)")
            }
            let format = try call.args.string(0, "format") ?? "%Y-%m-%d %H:%M:%S"
            do {
                return .time(.datetime(try PythonStrptime.parse(text, format: format)))
            } catch let failure as PythonStrptime.Failure {
                throw TemplateError.evaluation(failure.message, at: call.args.offset)
            } catch {
                throw call.fail("year is out of range")
            }
        },
    ]
}
