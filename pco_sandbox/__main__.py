"""python -m pco_sandbox --port 5001 --people 200"""
from .cli import run_command

if __name__ == "__main__":
    run_command(prog_name="python -m pco_sandbox")
