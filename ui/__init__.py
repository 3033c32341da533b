"""Qt user interface: may import kejiju_desktop and db."""
