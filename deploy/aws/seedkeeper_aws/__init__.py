"""seedkeeper-aws: seedkeeper on an AWS account in one command, and gone in one command."""
