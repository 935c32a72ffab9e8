// The grammar of the TARS IDL. Bison builds a pure C++ parser from it (no
// global state); every action hands what it recognised to the FileBuilder,
// which checks it and adds it to the syntax tree. The first syntax error ends
// the parse of the file.
%require "3.8"
%language "c++"
%define api.namespace {tars2cpp::grammar}
%define api.parser.class {Parser}
%define api.value.type variant
%define api.token.constructor
%define api.token.prefix {TOKEN_}
%define api.filename.type {const std::string}
%define parse.error custom
%define parse.lac full
%define parse.assert
%locations

%code requires {
#include "Ast.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tars2cpp
{
class FileBuilder;
}
namespace tars2cpp::grammar
{
struct LexState;
}
}

%parse-param {tars2cpp::FileBuilder& builder} {tars2cpp::grammar::LexState& lex}
%lex-param {tars2cpp::grammar::LexState& lex}

%code provides {
namespace tars2cpp::grammar
{
Parser::symbol_type yylex(LexState& lex);
}
}

%code {
#include "FileBuilder.h"
#include "LexState.h"

namespace
{

tars2cpp::SourceLocation at(const tars2cpp::grammar::Parser::location_type& where)
{
    return {where.begin.filename, where.begin.line, where.begin.column};
}

tars2cpp::Type builtin(tars2cpp::Type::Kind kind)
{
    tars2cpp::Type type;
    type.kind = kind;
    return type;
}

tars2cpp::Literal integerLiteral(bool negative, std::uint64_t magnitude,
                                 const tars2cpp::grammar::Parser::location_type& where)
{
    tars2cpp::Literal literal;
    literal.kind = tars2cpp::Literal::Kind::Integer;
    literal.location = at(where);
    literal.negative = negative;
    literal.magnitude = magnitude;
    return literal;
}

tars2cpp::Literal floatingLiteral(bool negative, std::string text,
                                  const tars2cpp::grammar::Parser::location_type& where)
{
    tars2cpp::Literal literal;
    literal.kind = tars2cpp::Literal::Kind::Floating;
    literal.location = at(where);
    literal.negative = negative;
    literal.text = std::move(text);
    return literal;
}

} // namespace
}

%token END 0 "end of file"
%token MODULE "module" STRUCT "struct" INTERFACE "interface" ENUM "enum" CONST "const"
%token KEY "key" VOID "void" REQUIRE "require" OPTIONAL "optional" OUT "out" ROUTEKEY "routekey"
%token UNSIGNED "unsigned" BOOL "bool" BYTE "byte" SHORT "short" INT "int" LONG "long"
%token FLOAT "float" DOUBLE "double" STRING "string" VECTOR "vector" MAP "map"
%token TRUE "true" FALSE "false" INCLUDE "#include"
%token SCOPE "::" LBRACE "{" RBRACE "}" LPAREN "(" RPAREN ")" LANGLE "<" RANGLE ">"
%token LBRACKET "[" RBRACKET "]" COMMA "," SEMICOLON ";" EQUALS "=" MINUS "-" PLUS "+"
%token <std::string> IDENTIFIER "identifier"
%token <std::uint64_t> INTEGER "integer"
%token <std::string> FLOATING "floating-point number"
%token <std::string> STRING_LITERAL "string literal"

%nterm <tars2cpp::Type> type
%nterm <std::optional<tars2cpp::Type>> return_type
%nterm <tars2cpp::Literal> literal tag enumerator_value
%nterm <std::optional<tars2cpp::Literal>> opt_default
%nterm <std::vector<std::string>> scoped_name
%nterm <std::string> member_name
%nterm <bool> requirement
%nterm <tars2cpp::ParameterAttributes> parameter_attributes

%%

file
    : %empty
    | file top_definition
    ;

top_definition
    : INCLUDE STRING_LITERAL
        { if (!builder.include($2, at(@2))) YYABORT; }
    | MODULE IDENTIFIER LBRACE
        { builder.beginModule($2, at(@2)); }
      module_body RBRACE SEMICOLON
        { builder.endModule(); }
    ;

module_body
    : %empty
    | module_body definition
    ;

definition
    : struct_definition
    | enum_definition
    | const_definition
    | key_definition
    | interface_definition
    ;

struct_definition
    : STRUCT IDENTIFIER LBRACE
        { builder.beginStruct($2, at(@2)); }
      fields RBRACE SEMICOLON
        { builder.endStruct(); }
    ;

fields
    : %empty
    | fields field
    ;

field
    : tag requirement type member_name opt_default SEMICOLON
        { builder.addField(std::move($1), $2, std::move($3), at(@3), $4, at(@4), std::move($5)); }
    ;

tag
    : INTEGER       { $$ = integerLiteral(false, $1, @1); }
    | MINUS INTEGER { $$ = integerLiteral(true, $2, @1); }
    ;

requirement
    : REQUIRE  { $$ = true; }
    | OPTIONAL { $$ = false; }
    ;

opt_default
    : %empty         { $$ = std::nullopt; }
    | EQUALS literal { $$ = std::move($2); }
    ;

literal
    : INTEGER             { $$ = integerLiteral(false, $1, @1); }
    | PLUS INTEGER        { $$ = integerLiteral(false, $2, @1); }
    | MINUS INTEGER       { $$ = integerLiteral(true, $2, @1); }
    | FLOATING            { $$ = floatingLiteral(false, $1, @1); }
    | PLUS FLOATING       { $$ = floatingLiteral(false, $2, @1); }
    | MINUS FLOATING      { $$ = floatingLiteral(true, $2, @1); }
    | STRING_LITERAL
        {
            $$.kind = tars2cpp::Literal::Kind::String;
            $$.location = at(@1);
            $$.text = std::move($1);
        }
    | TRUE
        {
            $$.kind = tars2cpp::Literal::Kind::Bool;
            $$.location = at(@1);
            $$.boolean = true;
        }
    | FALSE
        {
            $$.kind = tars2cpp::Literal::Kind::Bool;
            $$.location = at(@1);
            $$.boolean = false;
        }
    | scoped_name
        {
            $$.kind = tars2cpp::Literal::Kind::Name;
            $$.location = at(@1);
            $$.name = std::move($1);
        }
    ;

// The words that are keywords only where they start a construct (`key[...]`,
// `out`, `routekey`) still name fields and parameters: IDL files in the wild
// have parameters called `key`.
member_name
    : IDENTIFIER { $$ = std::move($1); }
    | KEY        { $$ = "key"; }
    | OUT        { $$ = "out"; }
    | ROUTEKEY   { $$ = "routekey"; }
    ;

scoped_name
    : IDENTIFIER                   { $$.push_back(std::move($1)); }
    | scoped_name SCOPE IDENTIFIER { $$ = std::move($1); $$.push_back(std::move($3)); }
    ;

type
    : BOOL           { $$ = builtin(tars2cpp::Type::Kind::Bool); }
    | BYTE           { $$ = builtin(tars2cpp::Type::Kind::Byte); }
    | SHORT          { $$ = builtin(tars2cpp::Type::Kind::Short); }
    | INT            { $$ = builtin(tars2cpp::Type::Kind::Int); }
    | LONG           { $$ = builtin(tars2cpp::Type::Kind::Long); }
    | FLOAT          { $$ = builtin(tars2cpp::Type::Kind::Float); }
    | DOUBLE         { $$ = builtin(tars2cpp::Type::Kind::Double); }
    | STRING         { $$ = builtin(tars2cpp::Type::Kind::String); }
    | UNSIGNED BYTE  { $$ = builtin(tars2cpp::Type::Kind::UnsignedByte); }
    | UNSIGNED SHORT { $$ = builtin(tars2cpp::Type::Kind::UnsignedShort); }
    | UNSIGNED INT   { $$ = builtin(tars2cpp::Type::Kind::UnsignedInt); }
    | UNSIGNED LONG
        {
            builder.error(at(@1), "'unsigned long' is not supported: TARS has no unsigned 64-bit type (use long)");
            $$ = builtin(tars2cpp::Type::Kind::Invalid);
        }
    | VECTOR LANGLE type RANGLE
        {
            $$.kind = tars2cpp::Type::Kind::Vector;
            $$.args.push_back(std::move($3));
        }
    | MAP LANGLE type COMMA type RANGLE
        {
            $$.kind = tars2cpp::Type::Kind::Map;
            $$.args.push_back(std::move($3));
            $$.args.push_back(std::move($5));
        }
    | scoped_name    { $$ = builder.resolveType($1, at(@1)); }
    ;

enum_definition
    : ENUM IDENTIFIER LBRACE
        { builder.beginEnum($2, at(@2)); }
      enum_body RBRACE SEMICOLON
        { builder.endEnum(); }
    ;

enum_body
    : %empty
    | enumerators
    | enumerators COMMA
    ;

enumerators
    : enumerator
    | enumerators COMMA enumerator
    ;

enumerator
    : IDENTIFIER
        { builder.addEnumerator($1, at(@1), std::nullopt); }
    | IDENTIFIER EQUALS enumerator_value
        { builder.addEnumerator($1, at(@1), std::move($3)); }
    ;

enumerator_value
    : INTEGER       { $$ = integerLiteral(false, $1, @1); }
    | PLUS INTEGER  { $$ = integerLiteral(false, $2, @1); }
    | MINUS INTEGER { $$ = integerLiteral(true, $2, @1); }
    ;

const_definition
    : CONST type IDENTIFIER EQUALS literal SEMICOLON
        { builder.addConst(std::move($2), at(@2), $3, at(@3), std::move($5)); }
    ;

key_definition
    : KEY LBRACKET IDENTIFIER
        { builder.beginKey($3, at(@3)); }
      key_fields RBRACKET SEMICOLON
        { builder.endKey(); }
    ;

key_fields
    : COMMA member_name            { builder.addKeyField($2, at(@2)); }
    | key_fields COMMA member_name { builder.addKeyField($3, at(@3)); }
    ;

interface_definition
    : INTERFACE IDENTIFIER LBRACE
        { builder.beginInterface($2, at(@2)); }
      operations RBRACE SEMICOLON
        { builder.endInterface(); }
    ;

operations
    : %empty
    | operations operation
    ;

operation
    : return_type IDENTIFIER LPAREN
        { builder.beginOperation(std::move($1), at(@1), $2, at(@2)); }
      opt_parameters RPAREN SEMICOLON
        { builder.endOperation(); }
    ;

return_type
    : VOID { $$ = std::nullopt; }
    | type { $$ = std::move($1); }
    ;

opt_parameters
    : %empty
    | parameters
    ;

parameters
    : parameter
    | parameters COMMA parameter
    ;

parameter
    : parameter_attributes type member_name
        { builder.addParameter($1, std::move($2), at(@2), $3, at(@3)); }
    ;

parameter_attributes
    : %empty                        { $$ = tars2cpp::ParameterAttributes(); }
    | parameter_attributes OUT
        {
            $$ = $1;
            if ($$.outCount + $$.routeKeyCount == 0)
                $$.location = at(@2);
            ++$$.outCount;
        }
    | parameter_attributes ROUTEKEY
        {
            $$ = $1;
            if ($$.outCount + $$.routeKeyCount == 0)
                $$.location = at(@2);
            ++$$.routeKeyCount;
        }
    ;

%%

namespace tars2cpp::grammar
{

namespace
{

// How a message names a token: keywords and punctuation quoted, classes plain.
std::string quotedSymbolName(Parser::symbol_kind_type kind)
{
    using Kind = Parser::symbol_kind;
    std::string name = Parser::symbol_name(kind);
    switch (kind)
    {
    case Kind::S_IDENTIFIER:
    case Kind::S_INTEGER:
    case Kind::S_FLOATING:
    case Kind::S_STRING_LITERAL:
    case Kind::S_YYEOF:
    case Kind::S_YYerror:
    case Kind::S_YYUNDEF:
        return name;
    default:
        return "'" + name + "'";
    }
}

// The token the parser stopped at, with its text when that helps.
std::string describeLookahead(const LexState& lex, Parser::symbol_kind_type kind)
{
    using Kind = Parser::symbol_kind;
    switch (kind)
    {
    case Kind::S_YYEOF:
        return "end of file";
    case Kind::S_IDENTIFIER:
    case Kind::S_INTEGER:
    case Kind::S_FLOATING:
        return quotedSymbolName(kind) + " '" + lex.lastTokenText + "'";
    case Kind::S_STRING_LITERAL:
        return "string literal";
    default:
        return quotedSymbolName(kind);
    }
}

} // namespace

void Parser::error(const location_type& where, const std::string& message)
{
    builder.error(at(where), message);
}

void Parser::report_syntax_error(const context& ctx) const
{
    symbol_kind_type all[8];
    const int allCount = ctx.expected_tokens(all, 8);
    // Where a name may be `key`, `out` or `routekey` too, say just "identifier".
    bool expectsIdentifier = false;
    for (int i = 0; i < allCount; ++i)
        expectsIdentifier = expectsIdentifier || all[i] == symbol_kind::S_IDENTIFIER;
    symbol_kind_type expected[8];
    int count = 0;
    for (int i = 0; i < allCount; ++i)
    {
        const bool nameKeyword = all[i] == symbol_kind::S_KEY || all[i] == symbol_kind::S_OUT ||
                                 all[i] == symbol_kind::S_ROUTEKEY;
        if (!(expectsIdentifier && nameKeyword))
            expected[count++] = all[i];
    }
    const std::string found = describeLookahead(lex, ctx.token());

    bool expectsSemicolon = false;
    for (int i = 0; i < count; ++i)
        expectsSemicolon = expectsSemicolon || expected[i] == symbol_kind::S_SEMICOLON;
    if (expectsSemicolon)
    {
        // Say it where the ';' belongs: right after the previous token.
        builder.error(at(lex.previousTokenEnd), "expected ';' before " + found);
        return;
    }

    std::string message = "unexpected " + found;
    if (count > 0 && count <= 6)
    {
        message += ", expected ";
        for (int i = 0; i < count; ++i)
        {
            if (i > 0)
                message += i + 1 == count ? " or " : ", ";
            message += quotedSymbolName(expected[i]);
        }
    }
    builder.error(at(ctx.location()), message);
}

} // namespace tars2cpp::grammar
