"""The Textual interface: screens and widgets only. Nothing in the core imports this package."""
