using System.Globalization;
using System.Text;

namespace PgMigration.Infra.Tests.Arm;

/// <summary>The syntax tree of one ARM template expression ("[format('{0}', parameters('x'))]").</summary>
public abstract record ArmExpression
{
    public sealed record Literal(object? Value) : ArmExpression;

    public sealed record FunctionCall(string Name, IReadOnlyList<ArmExpression> Arguments) : ArmExpression;

    public sealed record PropertyAccess(ArmExpression Target, string Property) : ArmExpression;

    public sealed record IndexAccess(ArmExpression Target, ArmExpression Index) : ArmExpression;

    /// <summary>Parses the text between the outer brackets of a template expression.</summary>
    public static ArmExpression Parse(string text)
    {
        var parser = new Parser(text);
        var expression = parser.ParseExpression();
        parser.SkipWhitespace();
        if (!parser.AtEnd)
        {
            throw parser.Error("unexpected text after the expression");
        }

        return expression;
    }

    private sealed class Parser(string text)
    {
        private int _position;

        public bool AtEnd => _position >= text.Length;

        public ArmExpression ParseExpression()
        {
            SkipWhitespace();
            var expression = ParsePrimary();
            while (true)
            {
                SkipWhitespace();
                if (TryConsume('.'))
                {
                    expression = new PropertyAccess(expression, ReadIdentifier());
                }
                else if (TryConsume('['))
                {
                    var index = ParseExpression();
                    Expect(']');
                    expression = new IndexAccess(expression, index);
                }
                else
                {
                    return expression;
                }
            }
        }

        public void SkipWhitespace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        public FormatException Error(string problem) =>
            new($"ARM expression '{text}': {problem} at position {_position}.");

        private ArmExpression ParsePrimary()
        {
            if (AtEnd)
            {
                throw Error("expression ends early");
            }

            var c = text[_position];
            if (c == '\'')
            {
                return new Literal(ReadString());
            }

            if (char.IsDigit(c) || c == '-')
            {
                var start = _position++;
                while (!AtEnd && char.IsDigit(text[_position]))
                {
                    _position++;
                }

                return new Literal(long.Parse(text[start.._position], CultureInfo.InvariantCulture));
            }

            var name = ReadIdentifier();
            SkipWhitespace();
            if (!TryConsume('('))
            {
                return name switch
                {
                    "true" => new Literal(true),
                    "false" => new Literal(false),
                    "null" => new Literal(null),
                    _ => throw Error($"'{name}' is neither a function call nor a literal"),
                };
            }

            var arguments = new List<ArmExpression>();
            SkipWhitespace();
            if (!TryConsume(')'))
            {
                do
                {
                    arguments.Add(ParseExpression());
                    SkipWhitespace();
                }
                while (TryConsume(','));

                Expect(')');
            }

            return new FunctionCall(name, arguments);
        }

        private string ReadString()
        {
            Expect('\'');
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("string literal is not closed");
                }

                var c = text[_position++];
                if (c == '\'')
                {
                    if (!AtEnd && text[_position] == '\'')
                    {
                        value.Append('\'');
                        _position++;
                        continue;
                    }

                    return value.ToString();
                }

                value.Append(c);
            }
        }

        private string ReadIdentifier()
        {
            var start = _position;
            while (!AtEnd && (char.IsLetterOrDigit(text[_position]) || text[_position] is '_' or '$'))
            {
                _position++;
            }

            return _position > start ? text[start.._position] : throw Error("identifier expected");
        }

        private bool TryConsume(char c)
        {
            if (!AtEnd && text[_position] == c)
            {
                _position++;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            SkipWhitespace();
            if (!TryConsume(c))
            {
                throw Error($"'{c}' expected");
            }
        }
    }
}
