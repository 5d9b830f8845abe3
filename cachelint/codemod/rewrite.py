"""The LibCST transformer: applies a :class:`~cachelint.codemod.plan.Plan` to one module.

Nodes are found by source span (``PositionProvider``), never by shape, so
only the calls the engine reported change.  Imports go through LibCST's
``AddImportsVisitor`` / ``RemoveImportsVisitor``; user functions (such as a
key helper that became unused) are never deleted.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import MetadataWrapper, PositionProvider

from cachelint.codemod import imports
from cachelint.codemod.findings import NodeEdit
from cachelint.codemod.plan import RUNTIME_MODULE, CallEdit, Plan
from cachelint.codemod.spans import Span


def _string(text: str) -> cst.SimpleString:
    return cst.SimpleString('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')


def _arg(node: cst.Arg) -> cst.Arg:
    """The argument without its own comma and trailing whitespace, to be placed anew."""
    return cst.Arg(value=node.value)


class FixCacheCalls(cst.CSTTransformer):
    """Rewrites the planned calls; schedules import changes on ``context`` as a LibCST codemod does.

    A plain transformer rather than a ``VisitorBasedCodemodCommand``: the
    command machinery deep-copies the tree for every pass, which cost more
    than everything else the codemod does to a file.
    """

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, context: CodemodContext, plan: Plan) -> None:
        super().__init__()
        self.context = context
        self.calls = {edit.span: edit for edit in plan.calls}
        self.bindings = set(plan.bindings)
        self.unused_imports = plan.unused_imports
        self.edits = {edit.span: edit for edit in plan.edits}
        self.applied: set[Span] = set()

    def _span(self, node: cst.CSTNode) -> Span:
        found = self.get_metadata(PositionProvider, node)
        return Span(found.start.line, found.start.column, found.end.line, found.end.column)

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        updated = super().on_leave(original_node, updated_node)
        if not self.edits or not isinstance(original_node, (cst.BaseExpression, cst.For)):
            return updated  # type: ignore[return-value]
        edit = self.edits.get(self._span(original_node))
        if edit is None or not isinstance(updated, (cst.BaseExpression, cst.For)):
            return updated  # type: ignore[return-value]
        replaced = _apply_edit(edit, updated)
        if replaced is None:
            return updated
        self.applied.add(edit.span)
        for module, name in edit.imports:
            AddImportsVisitor.add_needed_import(self.context, module, name)
        for module, name in edit.drops:
            RemoveImportsVisitor.remove_unused_import(self.context, module, name)
        return replaced

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        span = self._span(original_node)
        if span in self.bindings:
            self.applied.add(span)
            AddImportsVisitor.add_needed_import(self.context, RUNTIME_MODULE, "CacheKey")
            for module, name, asname in self.unused_imports:
                RemoveImportsVisitor.remove_unused_import(self.context, module, name, asname)
            return updated_node.with_changes(
                func=cst.Attribute(value=cst.Name("CacheKey"), attr=cst.Name("for_content"))
            )
        edit = self.calls.get(span)
        if edit is None or not isinstance(updated_node.func, cst.Attribute):
            return updated_node
        self.applied.add(span)
        return self._rewrite(edit, updated_node, updated_node.func)

    def _rewrite(self, edit: CallEdit, node: cst.Call, func: cst.Attribute) -> cst.BaseExpression:
        AddImportsVisitor.add_needed_import(self.context, RUNTIME_MODULE, "as_async")
        args = list(node.args)
        # Original Arg nodes are kept where possible: their commas carry the
        # call's layout and comments.
        if edit.key.kind == "pair":
            AddImportsVisitor.add_needed_import(self.context, RUNTIME_MODULE, "CacheKey")
            pair = cst.Call(func=cst.Name("CacheKey"), args=[_arg(args[0]), _arg(args[1])])
            key = args[1].with_changes(value=pair)
            # The comments between the two parts go above the CacheKey that joins them.
            node = node.with_changes(whitespace_before_args=_carry_comments(args[0], node.whitespace_before_args))
        elif edit.key.kind == "wrap":
            AddImportsVisitor.add_needed_import(self.context, RUNTIME_MODULE, "CacheKey")
            assert edit.key.operation is not None
            wrapped = cst.Call(func=cst.Name("CacheKey"), args=[cst.Arg(_string(edit.key.operation)), _arg(args[0])])
            key = args[0].with_changes(value=wrapped)
        else:
            key = args[0]
        new_args = [key]
        if edit.value_index is not None:
            new_args.append(args[edit.value_index])
        if edit.model_source is not None:
            new_args = _append(new_args, cst.parse_expression(edit.model_source), node.whitespace_before_args)
        call: cst.BaseExpression = node.with_changes(
            func=func.with_changes(
                value=cst.Call(func=cst.Name("as_async"), args=[cst.Arg(func.value)]),
                attr=cst.Name(edit.method),
            ),
            args=new_args,
        )
        if edit.add_await:
            call = cst.Await(
                expression=call,
                lpar=[cst.LeftParen()] if edit.parenthesize else [],
                rpar=[cst.RightParen()] if edit.parenthesize else [],
            )
        return call


class _CommentCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: list[cst.Comment] = []

    def visit_Comment(self, node: cst.Comment) -> None:
        self.found.append(node)


def _comments_within(node: cst.For) -> list[cst.Comment]:
    """The comments inside ``node``'s header and body (not its leading lines, which are kept as they are)."""
    collector = _CommentCollector()
    node.with_changes(leading_lines=()).visit(collector)
    return collector.found


def _apply_edit(edit: NodeEdit, node: cst.BaseExpression | cst.For) -> cst.CSTNode | None:
    """The replacement for one finding-level edit; None when the node is not the planned shape."""
    if edit.node in ("call", "subscript") and edit.fix.kind != "autospec":
        # m.get("f") / m["f"] -> m.f (the receiver node kept, with its parentheses and comments).
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            receiver = node.func.value
        elif isinstance(node, cst.Subscript):
            receiver = node.value
        else:
            return None
        return cst.Attribute(value=receiver, attr=cst.Name(edit.text), lpar=node.lpar, rpar=node.rpar)
    if edit.node == "call":  # AsyncMock() -> create_autospec(Cls, instance=True)
        if not isinstance(node, cst.Call):
            return None
        new = cst.parse_expression(edit.text)
        assert isinstance(new, cst.Call)
        return node.with_changes(func=new.func, args=new.args)
    if edit.node == "for":
        if not isinstance(node, cst.For):
            return None
        # The loop goes, its comments stay: each on its own line above the replacement.
        kept = [cst.EmptyLine(comment=comment) for comment in _comments_within(node)]
        return cst.parse_statement(edit.text + "\n").with_changes(leading_lines=[*node.leading_lines, *kept])
    if edit.node == "listcomp":
        if not isinstance(node, cst.ListComp):
            return None
        return cst.parse_expression(edit.text).with_changes(lpar=node.lpar, rpar=node.rpar)
    if isinstance(node, cst.BaseExpression):  # validation: wrapper(value)
        inner = node.with_changes(lpar=[], rpar=[]) if node.lpar else node
        return cst.Call(func=cst.parse_expression(edit.text), args=[cst.Arg(inner)], lpar=node.lpar, rpar=node.rpar)
    return None


def _own_lines(whitespace: cst.BaseParenthesizableWhitespace) -> list[cst.EmptyLine]:
    """The comments in ``whitespace`` as own-line comments (a trailing one becomes its own line)."""
    if not isinstance(whitespace, cst.ParenthesizedWhitespace):
        return []
    lines = []
    if whitespace.first_line.comment is not None:
        lines.append(cst.EmptyLine(whitespace=whitespace.last_line, comment=whitespace.first_line.comment))
    lines.extend(line for line in whitespace.empty_lines if line.comment is not None)
    return lines


def _carry_comments(dropped: cst.Arg, opening: cst.BaseParenthesizableWhitespace) -> cst.BaseParenthesizableWhitespace:
    """``opening`` plus the comments after ``dropped``'s comma, which is not kept (the proof refuses otherwise)."""
    lines = _own_lines(dropped.comma.whitespace_after) if isinstance(dropped.comma, cst.Comma) else []
    if not lines or not isinstance(opening, cst.ParenthesizedWhitespace):
        return opening
    return opening.with_changes(empty_lines=[*opening.empty_lines, *lines])


def _without_comments(whitespace: cst.BaseParenthesizableWhitespace) -> cst.BaseParenthesizableWhitespace:
    """The same layout with no comments: a comment must not be copied next to a new argument."""
    if isinstance(whitespace, cst.ParenthesizedWhitespace):
        return whitespace.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    return whitespace


def _append(
    args: list[cst.Arg], value: cst.BaseExpression, opening: cst.BaseParenthesizableWhitespace
) -> list[cst.Arg]:
    """``args`` plus one more, laid out like the call: a trailing comma stays trailing.

    Each comment stays where it was, after the argument it followed; the
    whitespace reused for the new argument's line is copied without comments.
    """
    last = args[-1]
    if isinstance(last.comma, cst.Comma):
        between = (
            args[-2].comma.whitespace_after if len(args) > 1 and isinstance(args[-2].comma, cst.Comma) else opening
        )
        between = _without_comments(between)
        if isinstance(between, cst.SimpleWhitespace) and not between.value:
            between = cst.SimpleWhitespace(" ")
        tail = last.comma.whitespace_after
        if isinstance(tail, cst.ParenthesizedWhitespace):
            if isinstance(between, cst.ParenthesizedWhitespace):
                between = between.with_changes(first_line=tail.first_line, empty_lines=tail.empty_lines)
            elif tail.first_line.comment is not None or tail.empty_lines:
                between = tail  # the comments stay after the last argument; the new one starts a line
        return [
            *args[:-1],
            last.with_changes(comma=last.comma.with_changes(whitespace_after=between)),
            cst.Arg(value, comma=last.comma.with_changes(whitespace_after=_without_comments(tail))),
        ]
    return [*args[:-1], last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), cst.Arg(value)]


def apply(
    module: cst.Module, plan: Plan, first_party: Callable[[str], bool] = lambda _: False
) -> tuple[cst.Module, set[Span]]:
    """The rewritten module and the spans actually changed (a span not found is not applied).

    ``first_party`` tells which top-level modules are the project's own, so an
    added import lands in its isort section (:mod:`cachelint.codemod.imports`).
    """
    context = CodemodContext()
    command = FixCacheCalls(context, plan)
    # The module was parsed for this rewrite alone, so the wrapper may use it without a copy.
    new = MetadataWrapper(module, unsafe_skip_copy=True).visit(command)
    added = context.scratch.get(AddImportsVisitor.CONTEXT_KEY)
    if added:
        new = new.visit(AddImportsVisitor(context))
    removed = context.scratch.get(RemoveImportsVisitor.CONTEXT_KEY)
    if removed:
        new = RemoveImportsVisitor(context).transform_module(new)
    if added or removed:
        new = imports.place(module, new, {item.module_name for item in added or ()}, first_party)
    return new, command.applied
