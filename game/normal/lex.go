package normal

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SyntaxError is a problem found while reading a game file: where it is and
// what is wrong there.
type SyntaxError struct {
	// File is the name given to the reader; it may be empty.
	File string
	// Line and Column locate the offending token, counting from 1; a column
	// counts characters, not bytes.
	Line, Column int
	// Msg says what is wrong and what was expected instead.
	Msg string
}

func (e *SyntaxError) Error() string {
	loc := fmt.Sprintf("%d:%d", e.Line, e.Column)
	if e.File != "" {
		loc = e.File + ":" + loc
	}
	return loc + ": " + e.Msg
}

// tokKind is the kind of a lexical token of Gambit's file formats.
type tokKind int

const (
	tokEOF    tokKind = iota
	tokLBrace         // {
	tokRBrace         // }
	tokComma          // ,
	tokString         // "quoted text"
	tokNumber         // 12, -3/4, 1.5e-2
	tokWord           // anything else: NFG, R, c, p, t
)

// token is one lexical token and where it starts.
type token struct {
	kind      tokKind
	text      string // the string's contents, the number or the word as written
	line, col int
}

// describe names a token for error messages.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "the end of the file"
	case tokLBrace:
		return `"{"`
	case tokRBrace:
		return `"}"`
	case tokComma:
		return `","`
	case tokString:
		return "the text " + quoteShort(t.text)
	case tokNumber:
		return "the number " + shorten(t.text)
	default:
		return quoteShort(t.text)
	}
}

func quoteShort(s string) string { return strconv.Quote(shorten(s)) }

// shorten cuts s to at most 40 characters for messages.
func shorten(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:37]) + "..."
}

// lexer splits a Gambit game file into tokens. Whitespace separates tokens
// and is otherwise ignored; a quoted string may span lines and escapes a
// double quote or a backslash with a backslash.
type lexer struct {
	file      string
	src       []byte
	pos       int
	line, col int
	peeked    *token
}

func newLexer(file string, src []byte) *lexer {
	l := &lexer{file: file, src: src, line: 1, col: 1}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		l.pos = 3 // a UTF-8 byte order mark, as some editors write
	}
	return l
}

// errorAt returns a SyntaxError at the start of t.
func (l *lexer) errorAt(t token, format string, a ...any) *SyntaxError {
	return &SyntaxError{File: l.file, Line: t.line, Column: t.col, Msg: fmt.Sprintf(format, a...)}
}

// advance moves past one character and returns it.
func (l *lexer) advance() rune {
	r, n := utf8.DecodeRune(l.src[l.pos:])
	l.pos += n
	if r == '\n' {
		l.line++
		l.col = 1
	} else {
		l.col++
	}
	return r
}

func (l *lexer) peekRune() rune {
	r, _ := utf8.DecodeRune(l.src[l.pos:])
	return r
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f'
}

// isDelim reports whether r ends a number or a word.
func isDelim(r rune) bool {
	return isSpace(r) || r == '{' || r == '}' || r == ',' || r == '"'
}

// peek returns the next token without consuming it.
func (l *lexer) peek() (token, error) {
	if l.peeked != nil {
		return *l.peeked, nil
	}
	t, err := l.scan()
	if err != nil {
		return t, err
	}
	l.peeked = &t
	return t, nil
}

// next consumes and returns the next token.
func (l *lexer) next() (token, error) {
	if l.peeked != nil {
		t := *l.peeked
		l.peeked = nil
		return t, nil
	}
	return l.scan()
}

func (l *lexer) scan() (token, error) {
	for l.pos < len(l.src) && isSpace(l.peekRune()) {
		l.advance()
	}
	t := token{line: l.line, col: l.col}
	if l.pos >= len(l.src) {
		t.kind = tokEOF
		return t, nil
	}
	r := l.peekRune()
	switch {
	case r == '{':
		l.advance()
		t.kind = tokLBrace
	case r == '}':
		l.advance()
		t.kind = tokRBrace
	case r == ',':
		l.advance()
		t.kind = tokComma
	case r == '"':
		l.advance()
		var b strings.Builder
		for {
			if l.pos >= len(l.src) {
				return t, l.errorAt(t, "the text opened here is never closed; expected a closing \"")
			}
			c := l.advance()
			if c == '"' {
				break
			}
			if c == '\\' && l.pos < len(l.src) {
				if n := l.peekRune(); n == '"' || n == '\\' {
					c = l.advance()
				}
			}
			b.WriteRune(c)
		}
		t.kind, t.text = tokString, b.String()
	default:
		start := l.pos
		for l.pos < len(l.src) && !isDelim(l.peekRune()) {
			l.advance()
		}
		t.text = string(l.src[start:l.pos])
		if r == '+' || r == '-' || r == '.' || (r >= '0' && r <= '9') {
			t.kind = tokNumber
		} else {
			t.kind = tokWord
		}
	}
	return t, nil
}

// maxExponent bounds the decimal exponent of a number in a file, so that a
// number like 1e999999999 cannot exhaust memory.
const maxExponent = 1000

// parseNumber converts a number as written in a Gambit file — an integer, a
// fraction a/b, or a decimal with an optional exponent — to an exact
// rational. It returns a message saying what is wrong otherwise.
func parseNumber(s string) (*big.Rat, string) {
	body := s
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	if num, den, ok := strings.Cut(body, "/"); ok {
		if !allDigits(num) || !allDigits(den) {
			return nil, "a fraction must be two whole numbers separated by /, as in -3/4"
		}
		if strings.Trim(den, "0") == "" {
			return nil, "the denominator of a fraction must not be zero"
		}
	} else {
		mant, exp := body, ""
		if i := strings.IndexAny(body, "eE"); i >= 0 {
			mant, exp = body[:i], body[i+1:]
			if exp != "" && (exp[0] == '+' || exp[0] == '-') {
				exp = exp[1:]
			}
			if !allDigits(exp) {
				return nil, "an exponent must be a whole number, as in 1.5e-3"
			}
			if len(strings.TrimLeft(exp, "0")) > 4 {
				return nil, fmt.Sprintf("the exponent is too large; at most %d is allowed", maxExponent)
			}
			if e, _ := strconv.Atoi(exp); e > maxExponent {
				return nil, fmt.Sprintf("the exponent is too large; at most %d is allowed", maxExponent)
			}
		}
		ip, fp, _ := strings.Cut(mant, ".")
		if (ip != "" && !allDigits(ip)) || (fp != "" && !allDigits(fp)) || ip+fp == "" {
			return nil, "expected a number such as 3, -2.5, 1e3 or 3/4"
		}
	}
	x, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, "expected a number such as 3, -2.5, 1e3 or 3/4"
	}
	return x, ""
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// quote writes s as a Gambit quoted string.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if r == '"' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}
