"""What the screens and commands do, without any UI: analyse, import, the weekly test, the demo, Home's
numbers, status and the words of Results.

The CLI and the TUI call these; they call `capture`, `store`, `scoring` and `signals`. No Textual.
"""
