"""The quarter's report: slides, the lobby screen, HTML, PowerPoint, Word, pictures and exports."""
