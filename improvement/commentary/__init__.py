"""commentary"""
