"""The windows carry the program icon (Qt does not take it from the .exe) from the resources folder."""

from kejiju_desktop import paths


def test_resources_folder_holds_the_icon_and_the_chart_font():
    folder = paths.resources_dir()
    assert (folder / "icons" / "kejiju.png").is_file()
    assert list((folder / "fonts").glob("*.otf"))


def test_application_has_the_program_icon(qapp):
    from ui.app import make_application

    app = make_application()
    assert app is qapp
    icon = app.windowIcon()
    assert not icon.isNull()
    assert icon.pixmap(32, 32).width() == 32
