"""An MkDocs hook: the settings reference (from pcosync/config.py) and the command-line
reference (from the click commands) are generated at every build, so they cannot drift.

A setting in `Defaults` without a comment above or beside it fails the build: the reference
would otherwise list a name nobody explained.
"""
import ast
import inspect
import pathlib

import click
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONFIG_PY = ROOT / "pcosync" / "config.py"
SETTINGS_PAGE = "reference/settings.md"
CLI_PAGE = "reference/cli.md"


class Setting:
    def __init__(self, name, default, comment, from_environment):
        self.name = name
        self.default = default
        self.comment = comment
        self.from_environment = from_environment


def read_settings(source):
    """Every attribute of `Defaults` in config.py's `source`, in order, with its comment."""
    module = ast.parse(source)
    lines = source.splitlines()
    environment = environment_names(module)
    constants = module_constants(source, module)
    defaults = next(node for node in module.body
                    if isinstance(node, ast.ClassDef) and node.name == "Defaults")
    settings, missing = [], []
    for node in defaults.body:
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            comment = comment_of(lines, node)
            if not comment:
                missing.append(target.id)
            default = ast.get_source_segment(source, node.value)
            default = constants.get(default, default)
            settings.append(Setting(target.id, default, comment, target.id in environment))
    if missing:
        raise PluginError("pcosync/config.py: these settings have no comment saying what they "
                          "do (add one above or beside each): " + ", ".join(missing))
    return settings


def environment_names(module):
    for node in module.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "ENV_SETTINGS":
            return set(ast.literal_eval(node.value))
    return set()


def module_constants(source, module):
    """Module-level names a default may use (PCO_REAL_API_URL), as their source text."""
    return {node.targets[0].id: ast.get_source_segment(source, node.value)
            for node in module.body
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)}


def comment_of(lines, node):
    """The comment lines right above the assignment, then the one at the end of its line."""
    above = []
    index = node.lineno - 2
    while index >= 0 and lines[index].strip().startswith("#"):
        above.insert(0, lines[index].strip().lstrip("#").strip())
        index -= 1
    beside = lines[node.end_lineno - 1].split("  # ", 1)
    if len(beside) == 2:
        above.append(beside[1].strip())
    comment = " ".join(above)
    return comment[:1].upper() + comment[1:]


def settings_markdown(settings):
    out = ["# Settings reference", "",
           "Generated from `pcosync/config.py` at every build of this site. Each setting comes "
           "from, in order of precedence: the environment (when the *Environment* column says "
           "yes), `instance/config.py`, then the default below. See "
           "[Configuration](../operations/configuration.md) for how to set them and notes on "
           "some of them.", "",
           "| Setting | Default | Environment | What it does |", "|---|---|---|---|"]
    for setting in settings:
        default = "none" if setting.default == "None" else f"`{setting.default}`"
        environment = "yes" if setting.from_environment else "no"
        out.append(f"| `{setting.name}` | {default} | {environment} | "
                   f"{cell(setting.comment)} |")
    return "\n".join(out) + "\n"


def cell(text):
    return " ".join(text.split()).replace("|", "\\|")


def shown_default(default):
    """Worth a cell: not absent (None, click's UNSET), not a flag's False, not computed."""
    return not (default in (None, False, ()) or callable(default)
                or type(default).__name__ == "Sentinel")


def command_sections(command, path):
    """Markdown for `command` (called `path`, e.g. "flask pco pull") and its subcommands."""
    context = click.Context(command, info_name=path)
    usage = " ".join([path] + command.collect_usage_pieces(context))
    out = [f"{'#' * min(path.count(' ') + 1, 4)} `{path}`", "",
           inspect.cleandoc(command.help or ""), "", f"```\n{usage}\n```", ""]
    out += parameter_table(command, context)
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            out += command_sections(command.commands[name], f"{path} {name}")
    return out


def parameter_table(command, context):
    rows = []
    for param in command.get_params(context):
        if "--help" in getattr(param, "opts", ()):
            continue
        rows.append(parameter_row(param, context))
    if not rows:
        return []
    return ["| Option or argument | Takes | Default | What it does |", "|---|---|---|---|",
            *rows, ""]


def parameter_row(param, context):
    if isinstance(param, click.Argument):
        name = f"`{param.human_readable_name}`"
        kind = param.type.get_metavar(param, context) or "argument"
    else:
        name = ", ".join(f"`{opt}`" for opt in param.opts + param.secondary_opts)
        metavar = param.type.get_metavar(param, context) or param.type.name
        kind = "flag" if param.is_flag else metavar
    default = param.get_default(context, call=False)
    shown = "" if not shown_default(default) else f"`{default}`"
    help_text = getattr(param, "help", "") or ""
    if param.envvar:
        help_text += f" (environment: `{param.envvar}`)"
    return f"| {name} | {cell(str(kind))} | {shown} | {cell(help_text)} |"


def cli_commands():
    """The app's `flask` commands (pcosync/cli) and the sandbox's, as the app registers them."""
    from pco_sandbox.cli import sandbox_cli
    from pcosync.cli import commands

    return sorted([*commands(), sandbox_cli], key=lambda command: command.name)


def cli_markdown():
    out = ["# Command-line reference", "",
           "Generated from the `flask` commands' own help (click) at every build of this site. "
           "Run them as `flask --app wsgi COMMAND` from the checkout (with its settings; "
           "`--help` works without them). [Commands](../operations/commands.md) says which to "
           "use when. `flask db` (the schema's migrations) is Flask-Migrate's own.", ""]
    for command in cli_commands():
        out += command_sections(command, f"flask {command.name}")
    return "\n".join(out) + "\n"


def on_files(files, config):
    settings = read_settings(CONFIG_PY.read_text())
    files.append(File.generated(config, SETTINGS_PAGE, content=settings_markdown(settings)))
    files.append(File.generated(config, CLI_PAGE, content=cli_markdown()))
    return files
