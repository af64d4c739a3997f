// covers: line comments, block comments, nested block comments, comments around rules, predicates and statements
/* a block comment
   spanning two lines */
/* outer /* inner /* innermost */ back in inner */ back in outer */
var hits: u32; // a trailing line comment

/* before a rule */
wasm:opcode:call:before /* between the rule and the predicate */ / imm0 == 0 /* inside the predicate */ / {
    hits++; /* after a statement */
    // a comment on its own line
    /* a /* nested */ comment between statements */
    hits--;
}
